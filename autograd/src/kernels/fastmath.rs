//! Vectorisable `exp`, `expm1`, `tanh` and `ln` over slices, within a few ulp of the C library's.
//!
//! Each function is written without branches (range reduction, a polynomial, and selects for the
//! special cases) so that the compiler turns the slice loops into SIMD code. The slice drivers
//! pick, once per call, a copy of the loop compiled for AVX-512 or AVX2+FMA when the processor has
//! them, and otherwise fall back to the standard library's functions, so results on a processor
//! without fused multiply-add are libm's.
//!
//! Slices longer than [`PARALLEL_THRESHOLD`](super::parallel::PARALLEL_THRESHOLD) are split
//! across threads.
//!
//! Accuracy, measured against the standard library over millions of random arguments in
//! `fastmath`'s tests: `exp` and `ln` within 2 ulp, `tanh` and `expm1` within 3 ulp.

use super::parallel::for_blocks;
use super::storage;
use std::mem::MaybeUninit;

/// log2(e).
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split into a high part with trailing zero bits and the remainder, for exact reduction.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5·2⁵²: adding it to a number of magnitude below 2⁵¹ leaves that number, rounded to an
/// integer, in the low bits of the sum's mantissa.
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// A function with a vectorised slice kernel here.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Vectorised {
    /// `e^x`.
    Exp,
    /// `ln x`.
    Ln,
    /// `tanh x`.
    Tanh,
    /// `σ(x)`.
    Sigmoid,
}

/// `function` applied to every value of `input`, into fresh storage that is not zeroed first
/// (these tensors can hold millions of elements).
pub(crate) fn mapped(input: &[f64], function: Vectorised) -> Vec<f64> {
    let kernel = match function {
        Vectorised::Exp => exp_slice,
        Vectorised::Ln => ln_slice,
        Vectorised::Tanh => tanh_slice,
        Vectorised::Sigmoid => sigmoid_slice,
    };
    let len = input.len();
    let mut output = storage::with_capacity(len);
    kernel(input, &mut output.spare_capacity_mut()[..len]);
    // SAFETY: each of the slice kernels above writes every element of its output (they all
    // end in `dispatch`, whose loops write one output per input), and the first `len`
    // elements of the capacity are that output.
    unsafe { output.set_len(len) };
    output
}

/// `e^x` elementwise: `output[i] = exp(input[i])`. Like every slice function here, it writes
/// every element of `output`.
///
/// # Panics
/// If `output` is not as long as `input`.
fn exp_slice(input: &[f64], output: &mut [MaybeUninit<f64>]) {
    for_blocks(input, output, |input, output| {
        dispatch(input, output, exp, f64::exp)
    });
}

/// `tanh x` elementwise.
fn tanh_slice(input: &[f64], output: &mut [MaybeUninit<f64>]) {
    for_blocks(input, output, |input, output| {
        dispatch(input, output, tanh, f64::tanh)
    });
}

/// `tanh x` in place: the numbers of [`tanh_slice`], for rows a kernel has just written and
/// still holds in cache (one thread; the caller splits large work).
pub(crate) fn tanh_in_place(values: &mut [f64]) {
    dispatch_in_place(values, tanh, f64::tanh)
}

/// `σ(x)` in place: the numbers of [`sigmoid_slice`], as [`tanh_in_place`].
pub(crate) fn sigmoid_in_place(values: &mut [f64]) {
    dispatch_in_place(values, sigmoid, sigmoid_libm)
}

/// `ln x` elementwise.
fn ln_slice(input: &[f64], output: &mut [MaybeUninit<f64>]) {
    for_blocks(input, output, |input, output| {
        dispatch(input, output, ln, f64::ln)
    });
}

/// `σ(x) = 1/(1 + e^(−x))` elementwise, through `e^(−|x|)` so that nothing overflows.
fn sigmoid_slice(input: &[f64], output: &mut [MaybeUninit<f64>]) {
    for_blocks(input, output, |input, output| {
        dispatch(input, output, sigmoid, sigmoid_libm)
    });
}

/// The best vector unit present, which the loops below are compiled for.
#[derive(Clone, Copy)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
enum VectorUnit {
    /// AVX-512F (with AVX2 and FMA).
    Avx512,
    /// AVX2 with FMA.
    Avx2,
    /// Neither (or not an x86-64 processor).
    Plain,
}

/// Which [`VectorUnit`] this processor has (the standard library caches the checks).
#[inline(always)]
fn vector_unit() -> VectorUnit {
    #[cfg(target_arch = "x86_64")]
    {
        // The AVX-512 loops are compiled for AVX-512F and DQ with AVX2 and FMA: all are checked.
        if std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512dq")
            && std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
        {
            return VectorUnit::Avx512;
        }
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            return VectorUnit::Avx2;
        }
    }
    VectorUnit::Plain
}

/// Runs `fast` over the slices in a loop compiled for the best vector unit present, or `fallback`
/// (the standard library's function) when there is no fused multiply-add.
#[inline(always)]
fn dispatch(
    input: &[f64],
    output: &mut [MaybeUninit<f64>],
    fast: impl Fn(f64) -> f64 + Copy,
    fallback: impl Fn(f64) -> f64,
) {
    assert_eq!(input.len(), output.len(), "fastmath: slice lengths differ");
    match vector_unit() {
        // SAFETY: the processor supports AVX-512F, checked by `vector_unit`.
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx512 => unsafe { map_avx512(input, output, fast) },
        // SAFETY: the processor supports AVX2 and FMA, checked by `vector_unit`.
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx2 => unsafe { map_avx2(input, output, fast) },
        _ => map_plain(input, output, plain_choice(fast, fallback)),
    }
}

/// [`dispatch`] on one slice, replacing each value by its image.
#[inline(always)]
fn dispatch_in_place(
    values: &mut [f64],
    fast: impl Fn(f64) -> f64 + Copy,
    fallback: impl Fn(f64) -> f64,
) {
    match vector_unit() {
        // SAFETY: the processor supports AVX-512F, checked by `vector_unit`.
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx512 => unsafe { map_in_place_avx512(values, fast) },
        // SAFETY: the processor supports AVX2 and FMA, checked by `vector_unit`.
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx2 => unsafe { map_in_place_avx2(values, fast) },
        _ => map_in_place(values, plain_choice(fast, fallback)),
    }
}

/// The function the plain loops use: every aarch64 processor has fused multiply-add and NEON,
/// so it runs `fast`; elsewhere a processor without FMA runs the standard library's `fallback`.
#[inline(always)]
fn plain_choice(
    fast: impl Fn(f64) -> f64 + Copy,
    fallback: impl Fn(f64) -> f64,
) -> impl Fn(f64) -> f64 {
    move |x| {
        if cfg!(target_arch = "aarch64") {
            fast(x)
        } else {
            fallback(x)
        }
    }
}

#[inline(always)]
fn map_plain(input: &[f64], output: &mut [MaybeUninit<f64>], f: impl Fn(f64) -> f64) {
    for (out, &x) in output.iter_mut().zip(input) {
        out.write(f(x));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
fn map_avx512(input: &[f64], output: &mut [MaybeUninit<f64>], f: impl Fn(f64) -> f64) {
    map_plain(input, output, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn map_avx2(input: &[f64], output: &mut [MaybeUninit<f64>], f: impl Fn(f64) -> f64) {
    map_plain(input, output, f)
}

#[inline(always)]
fn map_in_place(values: &mut [f64], f: impl Fn(f64) -> f64) {
    for value in values {
        *value = f(*value);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
fn map_in_place_avx512(values: &mut [f64], f: impl Fn(f64) -> f64) {
    map_in_place(values, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn map_in_place_avx2(values: &mut [f64], f: impl Fn(f64) -> f64) {
    map_in_place(values, f)
}

/// `2ⁿ` for an integral `n` in [-1022, 1023], built from its bits.
#[inline(always)]
fn pow2(n: f64) -> f64 {
    let biased = (n + SHIFTER).to_bits().wrapping_add(1023);
    f64::from_bits(biased << 52)
}

/// The reduction `x = n·ln2 + r` with `n` integral and `|r| ≤ ln2/2`, computed exactly enough
/// (two fused steps with ln 2 split in two) that `r` carries no more than half an ulp of error.
#[inline(always)]
fn reduce(x: f64) -> (f64, f64) {
    let n = (x * LOG2_E + SHIFTER) - SHIFTER;
    let r = (-n).mul_add(LN2_HI, x);
    let r = (-n).mul_add(LN2_LO, r);
    (n, r)
}

/// `e^r − 1` for `|r| ≤ ln2/2`, by its Taylor series to r¹³ (the next term is below 2⁻⁶⁰).
#[inline(always)]
fn expm1_reduced(r: f64) -> f64 {
    const C: [f64; 12] = [
        1.0 / 6227020800.0,
        1.0 / 479001600.0,
        1.0 / 39916800.0,
        1.0 / 3628800.0,
        1.0 / 362880.0,
        1.0 / 40320.0,
        1.0 / 5040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
    ];
    let mut p = C[0];
    for c in &C[1..] {
        p = p.mul_add(r, *c);
    }
    // r + r²·(1/2 + r/6 + …): the leading term stays exact.
    (p * r).mul_add(r, r)
}

/// `e^x`. Overflows to `inf` above about 709.78, reaches `0` through the subnormals below about
/// −745.13, and keeps NaN.
#[inline(always)]
pub(super) fn exp(x: f64) -> f64 {
    // Comparisons are false for NaN, so NaN passes through both clamps.
    let x = if x > 709.9 { 709.9 } else { x };
    let x = if x < -745.5 { -745.5 } else { x };
    let (n, r) = reduce(x);
    let p = expm1_reduced(r) + 1.0;
    // Below 2⁻¹⁰²² the power of two is not a normal number: scale in two steps.
    let subnormal = n < -1022.0;
    let n_first = if subnormal { n + 64.0 } else { n };
    let second = if subnormal {
        5.421_010_862_427_522e-20
    } else {
        1.0
    };
    let overflow = n > 1023.0;
    let n_first = if overflow { n - 1.0 } else { n_first };
    let second = if overflow { 2.0 } else { second };
    p * pow2(n_first) * second
}

/// `e^x − 1`, accurate near 0 where `exp(x) − 1` would cancel. Used for `x ≤ 0` here.
#[inline(always)]
fn expm1(x: f64) -> f64 {
    let x = if x < -60.0 { -60.0 } else { x };
    let x = if x > 709.0 { 709.0 } else { x };
    let (n, r) = reduce(x);
    let q = expm1_reduced(r);
    let scale = pow2(n);
    // 2ⁿ·(1 + q) − 1 = 2ⁿ·q + (2ⁿ − 1), where 2ⁿ − 1 is exact for the n reached here.
    scale.mul_add(q, scale - 1.0)
}

/// `tanh x = sign(x)·(−m)/(2 + m)` with `m = expm1(−2|x|)` in (−1, 0], which never overflows and
/// keeps full relative accuracy near 0.
#[inline(always)]
pub(super) fn tanh(x: f64) -> f64 {
    let m = expm1(-2.0 * x.abs());
    (-m / (2.0 + m)).copysign(x)
}

/// `σ(x)`: `1/(1 + e)` for `x ≥ 0` and `e/(1 + e)` below, with `e = e^(−|x|) ≤ 1`.
#[inline(always)]
pub(super) fn sigmoid(x: f64) -> f64 {
    let e = exp(-x.abs());
    let positive = 1.0 / (1.0 + e);
    if x >= 0.0 { positive } else { e / (1.0 + e) }
}

/// The same formula as [`sigmoid`], through the standard library's `exp`.
fn sigmoid_libm(x: f64) -> f64 {
    let e = (-x.abs()).exp();
    if x >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// `ln x`: `x = 2ᵏ·m` with `m` in [√½, √2), and `ln m = 2·atanh(s)` with `s = (m − 1)/(m + 1)`,
/// summed as an odd series in `s` to s²¹. `ln 0 = −inf`, negative or NaN gives NaN, `ln inf = inf`.
#[inline(always)]
fn ln(x: f64) -> f64 {
    const TWO_POW_54: f64 = 18_014_398_509_481_984.0;
    let tiny = x < f64::MIN_POSITIVE;
    let scaled = if tiny { x * TWO_POW_54 } else { x };
    let bits = scaled.to_bits();
    let exponent_bits = bits >> 52;
    // k = exponent − 1023, converted to float through the bits of 2⁵² + exponent.
    let biased = f64::from_bits(exponent_bits | 0x4330_0000_0000_0000) - 4_503_599_627_370_496.0;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let high = m > std::f64::consts::SQRT_2;
    let m = if high { m * 0.5 } else { m };
    let k = biased - 1023.0 + if high { 1.0 } else { 0.0 } - if tiny { 54.0 } else { 0.0 };
    let s = (m - 1.0) / (m + 1.0);
    let z = s * s;
    const C: [f64; 10] = [
        2.0 / 21.0,
        2.0 / 19.0,
        2.0 / 17.0,
        2.0 / 15.0,
        2.0 / 13.0,
        2.0 / 11.0,
        2.0 / 9.0,
        2.0 / 7.0,
        2.0 / 5.0,
        2.0 / 3.0,
    ];
    let mut p = C[0];
    for c in &C[1..] {
        p = p.mul_add(z, *c);
    }
    // ln m = 2s + s·z·p, the leading term kept exact.
    let ln_m = (s * z).mul_add(p, 2.0 * s);
    let result = k.mul_add(LN2_HI, k.mul_add(LN2_LO, ln_m));
    let result = if x == f64::INFINITY {
        f64::INFINITY
    } else {
        result
    };
    let result = if x == 0.0 { f64::NEG_INFINITY } else { result };
    if x < 0.0 || x.is_nan() {
        f64::NAN
    } else {
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_distr::{Distribution, Uniform};

    type Kernel = fn(&[f64], &mut [MaybeUninit<f64>]);

    /// The kernel's output for `input`, as a vector.
    fn run(kernel: Kernel, input: &[f64]) -> Vec<f64> {
        let mut output = vec![MaybeUninit::uninit(); input.len()];
        kernel(input, &mut output);
        // SAFETY: every slice kernel writes every element of its output.
        output
            .into_iter()
            .map(|x| unsafe { x.assume_init() })
            .collect()
    }

    /// The distance in units in the last place between two finite floats of one sign.
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    fn worst_ulps(low: f64, high: f64, slice: Kernel, reference: fn(f64) -> f64) -> (u64, f64) {
        let mut rng = StdRng::seed_from_u64(11);
        let uniform = Uniform::new(low, high).expect("a valid range");
        let input: Vec<f64> = (0..200_000).map(|_| uniform.sample(&mut rng)).collect();
        let output = run(slice, &input);
        let mut worst = (0, 0.0);
        for (&x, &y) in input.iter().zip(&output) {
            let error = ulps(y, reference(x));
            if error > worst.0 {
                worst = (error, x);
            }
        }
        worst
    }

    #[test]
    fn exp_is_within_two_ulp_of_libm() {
        for (low, high) in [
            (-1.0, 1.0),
            (-30.0, 30.0),
            (-700.0, 700.0),
            (-745.0, -700.0),
        ] {
            let (error, at) = worst_ulps(low, high, exp_slice, f64::exp);
            assert!(error <= 2, "exp: {error} ulp at {at:e}");
        }
    }

    #[test]
    fn tanh_is_within_three_ulp_of_libm() {
        for (low, high) in [(-1e-6, 1e-6), (-1.0, 1.0), (-5.0, 5.0), (-25.0, 25.0)] {
            let (error, at) = worst_ulps(low, high, tanh_slice, f64::tanh);
            assert!(error <= 3, "tanh: {error} ulp at {at:e}");
        }
    }

    #[test]
    fn ln_is_within_two_ulp_of_libm() {
        for (low, high) in [(1e-300, 1e-290), (0.5, 2.0), (1e-3, 1e3), (1e300, 1e308)] {
            let (error, at) = worst_ulps(low, high, ln_slice, f64::ln);
            assert!(error <= 2, "ln: {error} ulp at {at:e}");
        }
    }

    #[test]
    fn sigmoid_is_within_three_ulp_of_the_libm_formula() {
        for (low, high) in [(-1.0, 1.0), (-40.0, 40.0), (-700.0, 700.0)] {
            let (error, at) = worst_ulps(low, high, sigmoid_slice, sigmoid_libm);
            assert!(error <= 3, "sigmoid: {error} ulp at {at:e}");
        }
    }

    #[test]
    fn the_in_place_kernels_give_the_slice_kernels_numbers() {
        let mut values: Vec<f64> = (-2000..=2000).map(|i| i as f64 * 0.013).collect();
        values.extend([0.0, -0.0, 1e-300, -1e-300, 25.0, -25.0, 800.0, -800.0]);
        values.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        /// A slice kernel, its in-place form and the scalar function both run.
        type Forms = (Kernel, fn(&mut [f64]), fn(f64) -> f64);
        let cases: [Forms; 2] = [
            (tanh_slice, tanh_in_place, tanh),
            (sigmoid_slice, sigmoid_in_place, sigmoid),
        ];
        for (slice, in_place, scalar) in cases {
            let expected = run(slice, &values);
            let mut got = values.clone();
            in_place(&mut got);
            for ((x, e), g) in values.iter().zip(&expected).zip(&got) {
                assert_eq!(e.to_bits(), g.to_bits(), "at {x}");
            }
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
                // The AVX2 loop, which an AVX-512 machine would not otherwise run.
                let mut avx2 = values.clone();
                // SAFETY: the processor has AVX2 and FMA, checked just above.
                unsafe { map_in_place_avx2(&mut avx2, scalar) };
                for ((x, e), g) in values.iter().zip(&expected).zip(&avx2) {
                    assert_eq!(e.to_bits(), g.to_bits(), "AVX2 loop at {x}");
                }
            }
        }
    }

    /// The scalar function a slice kernel must match bit for bit on this CPU: `fast` where the
    /// loops run it, the standard library's `fallback` where they fall back to it.
    fn scalar_used(fast: fn(f64) -> f64, fallback: fn(f64) -> f64) -> fn(f64) -> f64 {
        match vector_unit() {
            VectorUnit::Plain if !cfg!(target_arch = "aarch64") => fallback,
            _ => fast,
        }
    }

    /// Lengths at and either side of the vector widths (4 and 8 values) and of the length at
    /// which a slice is split across threads.
    fn awkward_lengths() -> Vec<usize> {
        let threshold = crate::kernels::parallel::PARALLEL_THRESHOLD;
        let mut lengths = vec![0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33];
        lengths.extend([threshold - 1, threshold, threshold + 1, 2 * threshold + 3]);
        lengths
    }

    /// Ordinary values of every size the functions treat differently, with ±0, NaN, ±∞,
    /// subnormals and overflowing arguments among them.
    fn awkward_values(len: usize) -> Vec<f64> {
        let specials = [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            5e-324,
            -1e-300,
            710.0,
            -746.0,
            1e300,
        ];
        (0..len)
            .map(|i| match i % 7 {
                0 => specials[(i / 7) % specials.len()],
                _ => (i as f64 * 0.731).sin() * [1.0, 20.0, 500.0][i % 3],
            })
            .collect()
    }

    /// The vectorised, threaded maps give, on every length, the bits of their scalar function
    /// applied one value at a time.
    #[test]
    fn the_vectorised_maps_match_the_scalar_reference_bit_for_bit() {
        /// A vectorised function, its fast scalar form and the standard library's.
        type Forms = (Vectorised, fn(f64) -> f64, fn(f64) -> f64);
        let functions: [Forms; 4] = [
            (Vectorised::Exp, exp, f64::exp),
            (Vectorised::Ln, ln, f64::ln),
            (Vectorised::Tanh, tanh, f64::tanh),
            (Vectorised::Sigmoid, sigmoid, sigmoid_libm),
        ];
        // Three threads, so that long slices are split on any machine.
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for len in awkward_lengths() {
            let input = awkward_values(len);
            for (function, fast, fallback) in functions {
                let expected = reference::map(&input, scalar_used(fast, fallback));
                let got = three.install(|| mapped(&input, function));
                let difference = reference::first_difference(&got, &expected);
                assert_eq!(
                    difference, None,
                    "{function:?} on {len} values: (index, got, expected)"
                );
            }
        }
    }

    /// The in-place maps, likewise.
    #[test]
    fn the_in_place_maps_match_the_scalar_reference_bit_for_bit() {
        /// A function's name, in-place map and scalar reference.
        type Forms = (&'static str, fn(&mut [f64]), fn(f64) -> f64);
        let functions: [Forms; 2] = [
            ("tanh", tanh_in_place, scalar_used(tanh, f64::tanh)),
            (
                "sigmoid",
                sigmoid_in_place,
                scalar_used(sigmoid, sigmoid_libm),
            ),
        ];
        for len in awkward_lengths().into_iter().filter(|&len| len < 100) {
            let input = awkward_values(len);
            for (name, in_place, scalar) in functions {
                let mut got = input.clone();
                in_place(&mut got);
                let difference = reference::first_difference(&got, &reference::map(&input, scalar));
                assert_eq!(
                    difference, None,
                    "{name} on {len} values: (index, got, expected)"
                );
            }
        }
    }

    #[test]
    fn special_values_match_libm() {
        let input = [
            0.0,
            -0.0,
            1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            710.0,
            -746.0,
            5e-324,
            -1.0,
        ];
        for (slice, reference) in [
            (exp_slice as Kernel, f64::exp as fn(f64) -> f64),
            (tanh_slice, f64::tanh),
            (ln_slice, f64::ln),
            (sigmoid_slice, sigmoid_libm),
        ] {
            let output = run(slice, &input);
            for (&x, &y) in input.iter().zip(&output) {
                let expected = reference(x);
                let same = (y.is_nan() && expected.is_nan()) || ulps(y, expected) <= 2;
                assert!(same, "at {x}: {y} vs {expected}");
            }
        }
    }
}
