//! Gradient clipping by global norm, applied between the backward pass and an optimiser step.

use crate::params::ParamGrads;

/// Scales every gradient by `max_norm / ‖g‖` when the global norm `‖g‖ = √(Σ over every
/// parameter and entry of g²)` exceeds `max_norm`, so that the direction of the whole update is
/// kept and its length is at most `max_norm` (what recurrent nets need when gradients through
/// many steps explode). Returns the norm before clipping.
///
/// # Panics
/// If `max_norm` is not positive.
#[track_caller]
pub fn clip_global_norm(grads: &mut ParamGrads, max_norm: f64) -> f64 {
    assert!(
        max_norm > 0.0,
        "clip_global_norm: max_norm {max_norm} is not positive"
    );
    let norm = grads
        .iter()
        .flat_map(|(_, g)| g.data().iter())
        .map(|v| v * v)
        .sum::<f64>()
        .sqrt();
    if norm > max_norm {
        let scale = max_norm / norm;
        let scaled: Vec<(String, autograd::Tensor)> = grads
            .iter()
            .map(|(name, g)| {
                let mut g = g.clone();
                g.map_in_place(|v| v * scale);
                (name.to_string(), g)
            })
            .collect();
        for (name, g) in scaled {
            grads.insert(name, g);
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tensor;

    #[test]
    fn a_long_gradient_is_scaled_to_the_limit_and_a_short_one_is_kept() {
        let mut grads = ParamGrads::new();
        grads.insert("a", Tensor::from_vec(vec![3.0], [1]));
        grads.insert("b", Tensor::from_vec(vec![4.0, 0.0], [2]));
        assert_eq!(clip_global_norm(&mut grads, 10.0), 5.0);
        assert_eq!(grads.get("b").unwrap().data(), &[4.0, 0.0]);
        assert_eq!(clip_global_norm(&mut grads, 1.0), 5.0);
        let close =
            |got: &[f64], want: &[f64]| got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-15);
        assert!(close(grads.get("a").unwrap().data(), &[0.6]));
        assert!(close(grads.get("b").unwrap().data(), &[0.8, 0.0]));
        let names: Vec<&str> = grads.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["a", "b"]);
    }
}
