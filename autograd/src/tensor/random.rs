//! Random tensors drawn from a caller's seeded generator.

use super::Tensor;
use crate::shape::Shape;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal, Uniform};

impl Tensor {
    /// A tensor of independent standard normal draws, N(0, 1), from `rng`.
    ///
    /// Pass a seeded generator (`StdRng::seed_from_u64`) for results that repeat on every machine.
    #[track_caller]
    pub fn randn(shape: impl Into<Shape>, rng: &mut impl Rng) -> Tensor {
        let shape = shape.into();
        let data = (0..shape.numel())
            .map(|_| StandardNormal.sample(rng))
            .collect();
        Tensor::from_vec(data, shape)
    }

    /// A tensor of independent uniform draws from `[low, high)`, from `rng`.
    ///
    /// # Panics
    /// If `low >= high` or either bound is not finite.
    #[track_caller]
    pub fn rand_uniform(
        shape: impl Into<Shape>,
        low: f64,
        high: f64,
        rng: &mut impl Rng,
    ) -> Tensor {
        let shape = shape.into();
        let Ok(uniform) = Uniform::new(low, high) else {
            panic!("Tensor::rand_uniform: [{low}, {high}) is not a valid range")
        };
        let data = (0..shape.numel()).map(|_| uniform.sample(rng)).collect();
        Tensor::from_vec(data, shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn a_seed_repeats_its_draws() {
        let a = Tensor::randn([3, 4], &mut StdRng::seed_from_u64(7));
        let b = Tensor::randn([3, 4], &mut StdRng::seed_from_u64(7));
        assert_eq!(a, b);
        assert_ne!(a, Tensor::randn([3, 4], &mut StdRng::seed_from_u64(8)));
    }

    #[test]
    fn uniform_draws_stay_in_range() {
        let t = Tensor::rand_uniform([1000], -2.0, 3.0, &mut StdRng::seed_from_u64(1));
        assert!(t.data().iter().all(|&x| (-2.0..3.0).contains(&x)));
        let mean = t.sum() / 1000.0;
        assert!((mean - 0.5).abs() < 0.2, "mean {mean}");
    }

    #[test]
    fn normal_draws_have_unit_spread() {
        let t = Tensor::randn([4000], &mut StdRng::seed_from_u64(2));
        let mean = t.sum() / 4000.0;
        let variance = t.map(|x| (x - mean) * (x - mean)).sum() / 4000.0;
        assert!(
            mean.abs() < 0.1 && (variance - 1.0).abs() < 0.1,
            "{mean} {variance}"
        );
    }
}
