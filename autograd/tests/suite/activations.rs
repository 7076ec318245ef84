//! The activations: each one's values against its textbook formula, its gradients (first and
//! second order) against finite differences, its names, and its use in a dense layer.

use crate::common;

use autograd::{Activation, Tape, Tensor, UnknownActivation};
use common::{away_from_zero, check, check_second_order, max_difference, normal, weighted};

const COMPOSED: [Activation; 5] = [
    Activation::LeakyRelu { slope: 0.01 },
    Activation::LeakyRelu { slope: 0.3 },
    Activation::Softplus,
    Activation::Elu { alpha: 1.0 },
    Activation::Elu { alpha: 0.5 },
];

/// Each activation written out from its definition with the C library's functions, independent
/// of the engine.
fn textbook(activation: Activation, z: f64) -> f64 {
    match activation {
        Activation::Tanh => z.tanh(),
        Activation::Relu => z.max(0.0),
        Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        Activation::LeakyRelu { slope } => {
            if z > 0.0 {
                z
            } else {
                slope * z
            }
        }
        Activation::Softplus => z.max(0.0) + (-z.abs()).exp().ln_1p(),
        Activation::Elu { alpha } => {
            if z > 0.0 {
                z
            } else {
                alpha * z.exp_m1()
            }
        }
        Activation::Gelu => {
            let inner = (2.0 / std::f64::consts::PI).sqrt() * (z + 0.044715 * z.powi(3));
            0.5 * z * (1.0 + inner.tanh())
        }
    }
}

fn every_activation() -> Vec<Activation> {
    let mut all = Activation::ALL.to_vec();
    all.extend(COMPOSED);
    all.push(Activation::Gelu);
    all
}

#[test]
fn each_activation_computes_its_textbook_formula() {
    let points = [-40.0, -3.0, -0.7, -1e-3, 0.0, 1e-3, 0.4, 2.5, 40.0];
    for activation in every_activation() {
        let tape = Tape::new();
        let y = activation.apply(tape.constant(Tensor::from(points.to_vec())));
        for (&z, &got) in points.iter().zip(y.value().data()) {
            let want = textbook(activation, z);
            assert!(
                (got - want).abs() <= 1e-14 * want.abs().max(1.0),
                "{activation}({z}) = {got}, expected {want}"
            );
        }
    }
}

#[test]
fn composed_activations_stay_finite_far_from_zero() {
    // softplus by ln(1 + e^z) would overflow at z = 800; elu's exponential must not see +800.
    let z = Tensor::from(vec![-800.0, 800.0]);
    for activation in COMPOSED.into_iter().chain([Activation::Gelu]) {
        let tape = Tape::new();
        let x = tape.var(z.clone());
        let y = activation.apply(x);
        let grads = y.sum().backward();
        assert!(
            y.value().data().iter().all(|v| v.is_finite()),
            "{activation}: {:?}",
            y.value().data()
        );
        assert!(
            grads[x].data().iter().all(|g| g.is_finite()),
            "{activation}: {:?}",
            grads[x].data()
        );
        assert_eq!(y.value().data()[1], 800.0, "{activation} at 800");
        assert_eq!(grads[x].data()[1], 1.0, "{activation}'s slope at 800");
    }
}

#[test]
fn composed_activation_grads_match_finite_differences() {
    // Away from 0, where leaky relu and elu have their kink.
    let z = away_from_zero(&[4, 5], 71);
    for activation in COMPOSED.into_iter().chain([Activation::Gelu]) {
        check(
            &activation.to_string(),
            |v| weighted(activation.apply(v[0])),
            std::slice::from_ref(&z),
        );
    }
    // Softplus and gelu are smooth: near zero and at large magnitudes too.
    let awkward = Tensor::from(vec![-30.0, -4.0, -0.01, 0.0, 0.02, 5.0, 30.0]);
    for activation in [Activation::Softplus, Activation::Gelu] {
        check(
            &format!("{activation} at awkward points"),
            |v| weighted(activation.apply(v[0])),
            std::slice::from_ref(&awkward),
        );
    }
}

#[test]
fn composed_activation_second_derivatives_match_finite_differences() {
    let z = away_from_zero(&[3, 4], 72);
    for activation in COMPOSED.into_iter().chain([Activation::Gelu]) {
        check_second_order(
            &activation.to_string(),
            |v| weighted(activation.apply(v[0])),
            std::slice::from_ref(&z),
        );
    }
    let smooth = Tensor::from(vec![-6.0, -0.5, 0.0, 0.3, 4.0]);
    for activation in [Activation::Softplus, Activation::Gelu] {
        check_second_order(
            &format!("{activation} near zero"),
            |v| weighted(activation.apply(v[0])),
            std::slice::from_ref(&smooth),
        );
    }
}

#[test]
fn slopes_at_zero_are_the_conventional_ones() {
    // leaky relu: the slope; softplus: σ(0) = 1/2; elu: α (1 for the default, where it is smooth).
    let cases = [
        (Activation::LeakyRelu { slope: 0.2 }, 0.2),
        (Activation::Softplus, 0.5),
        (Activation::Elu { alpha: 1.0 }, 1.0),
        (Activation::Gelu, 0.5),
    ];
    for (activation, slope) in cases {
        let tape = Tape::new();
        let z = tape.var(Tensor::scalar(0.0));
        let grads = activation.apply(z).backward();
        assert_eq!(grads[z].item(), slope, "{activation}'(0)");
    }
}

#[test]
fn names_parse_back_to_the_same_activation() {
    for activation in every_activation() {
        let text = activation.to_string();
        assert_eq!(text.parse::<Activation>(), Ok(activation), "{text}");
    }
    assert_eq!(
        "leaky_relu".parse(),
        Ok(Activation::LeakyRelu { slope: 0.01 })
    );
    assert_eq!("elu".parse(), Ok(Activation::Elu { alpha: 1.0 }));
    assert_eq!(
        "leaky_relu:0.2".parse(),
        Ok(Activation::LeakyRelu { slope: 0.2 })
    );
    for bad in [
        "swish",
        "Tanh",
        "tanh:2",
        "elu:",
        "elu:inf",
        "leaky_relu:x",
        "",
    ] {
        let error: UnknownActivation = bad.parse::<Activation>().unwrap_err();
        assert_eq!(error.name, bad);
        assert!(error.to_string().contains("leaky_relu[:SLOPE]"), "{error}");
    }
}

#[test]
fn a_dense_layer_with_a_composed_activation_is_the_affine_map_then_the_activation() {
    let x = normal(&[5, 3], 81);
    let w = normal(&[3, 4], 82);
    let b = normal(&[4], 83);
    for activation in COMPOSED.into_iter().chain([Activation::Gelu]) {
        let tape = Tape::new();
        let (xv, wv, bv) = (
            tape.var(x.clone()),
            tape.var(w.clone()),
            tape.var(b.clone()),
        );
        let layer = xv.dense(wv, bv, activation);
        let by_hand = activation.apply(xv.affine(wv, bv));
        assert_eq!(*layer.value(), *by_hand.value(), "{activation}");
        assert_eq!(
            x.dense(&w, &b, activation),
            *by_hand.value(),
            "{activation}"
        );
        let expected = x.affine(&w, &b).map(|z| textbook(activation, z));
        assert!(
            max_difference(&layer.value(), &expected) < 1e-14,
            "{activation}"
        );
        check(
            &format!("dense {activation}"),
            |v| weighted(v[0].dense(v[1], v[2], activation)),
            &[x.clone(), w.clone(), b.clone()],
        );
    }
}
