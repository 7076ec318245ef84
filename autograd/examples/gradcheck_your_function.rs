//! Lesson: gradient-checking your own function against finite differences.
//!
//! Run with `cargo run -p autograd --example gradcheck_your_function`.
//!
//! Write any function of tensors with `Var` ops, returning one number. `gradcheck` evaluates its
//! gradient with `backward` and compares every element with the central difference
//! `(f(x + h) − f(x − h)) / 2h`. For inputs too large to perturb one element at a time, the
//! directional mode compares `vᵀ·∇f` with the difference along random directions `v`.

use autograd::{GradcheckOptions, Tensor, Var, gradcheck};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// A smooth function of two tensors: a softmax-weighted distance, `Σ softmax(W·x) ⊙ (x − 1)²`.
fn my_function<'t>(inputs: &[Var<'t>]) -> Var<'t> {
    let (w, x) = (inputs[0], inputs[1]);
    let weights = w.matmul(x).softmax(0);
    (weights * (x - 1.0).square()).sum()
}

fn main() {
    let mut rng = StdRng::seed_from_u64(42);
    let w = Tensor::randn([4, 4], &mut rng);
    let x = Tensor::randn([4], &mut rng);

    let full = gradcheck(
        my_function,
        &[w.clone(), x.clone()],
        &GradcheckOptions::default(),
    );
    println!("element by element: {full}");

    let big_w = Tensor::randn([300, 300], &mut rng);
    let big_x = Tensor::randn([300], &mut rng);
    let directional = gradcheck(
        my_function,
        &[big_w, big_x],
        &GradcheckOptions::directions(10, 7),
    );
    println!("10 random directions on 90,300 inputs: {directional}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_function_passes_both_modes() {
        let mut rng = StdRng::seed_from_u64(1);
        let inputs = [
            Tensor::randn([3, 3], &mut rng),
            Tensor::randn([3], &mut rng),
        ];
        assert!(gradcheck(my_function, &inputs, &GradcheckOptions::default()).passed);
        assert!(gradcheck(my_function, &inputs, &GradcheckOptions::directions(5, 3)).passed);
    }
}
