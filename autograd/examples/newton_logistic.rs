//! Newton's method on logistic regression for the two-moons data, with the Hessian from the engine.
//!
//! Run with `cargo run --release -p autograd --example newton_logistic`.
//!
//! Lesson: the loss below is written once, as ordinary ops. Its gradient comes from `backward`,
//! and its Hessian from differentiating the *recorded* backward pass again
//! (`autograd::higher::hessian`), so Newton's method, `w ← w − H⁻¹∇L`, needs no derivative
//! written by hand. On this convex problem it converges in a handful of steps, where gradient
//! descent needs thousands.

use autograd::higher::hessian;
use autograd::{Tape, Tensor, Var};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

const POINTS: usize = 200;

fn main() {
    let (design, labels) = moons_design_matrix(POINTS, 0.2, 0);

    println!("Newton's method (Hessian by differentiating the recorded backward pass):");
    let (w, history) = newton(&design, &labels, 10);
    for (step, (value, gradient_norm)) in history.iter().enumerate() {
        println!("  step {step}: loss {value:.15}, |grad| {gradient_norm:.3e}");
    }
    let (newton_loss, _) = value_and_gradient(&w, &design, &labels);
    println!("  weights {w}");

    println!("Gradient descent (learning rate 1) to the same loss, within 1e-6:");
    let mut v = Tensor::zeros([3]);
    let mut passes = 0;
    loop {
        let (value, gradient) = value_and_gradient(&v, &design, &labels);
        if value - newton_loss < 1e-6 || passes == 100_000 {
            println!("  {passes} passes, loss {value:.15}");
            break;
        }
        v.add_scaled(-1.0, &gradient);
        passes += 1;
    }
}

/// Newton's method from `w = 0` until the gradient vanishes or `max_steps` steps: the weights, and
/// the loss and gradient norm before each step.
fn newton(design: &Tensor, labels: &Tensor, max_steps: usize) -> (Tensor, Vec<(f64, f64)>) {
    let mut w = Tensor::zeros([design.dims()[1]]);
    let mut history = Vec::new();
    for _ in 0..max_steps {
        let (value, gradient) = value_and_gradient(&w, design, labels);
        let gradient_norm = gradient.data().iter().map(|g| g * g).sum::<f64>().sqrt();
        history.push((value, gradient_norm));
        if gradient_norm < 1e-12 {
            break;
        }
        let h = hessian(|w| mean_log_loss(w, design, labels), &w);
        for (wi, di) in w.data_mut().iter_mut().zip(solve(&h, gradient.data())) {
            *wi -= di;
        }
    }
    (w, history)
}

/// The loss and its gradient at `w`, by one plain backward pass.
fn value_and_gradient(w: &Tensor, design: &Tensor, labels: &Tensor) -> (f64, Tensor) {
    let tape = Tape::new();
    let w_var = tape.var(w.clone());
    let value = mean_log_loss(w_var, design, labels);
    let grads = value.backward();
    (value.item(), grads[w_var].clone())
}

/// The mean binary cross-entropy of a linear model `z = X̃·w` (X̃ has a column of ones for the
/// bias), from logits: `L(w) = mean(log(1 + eᶻ) − y·z)`, where `log(1 + eᶻ) = logsumexp([0, z])`.
fn mean_log_loss<'t>(w: Var<'t>, design: &Tensor, labels: &Tensor) -> Var<'t> {
    let tape = w.tape();
    let logits = tape.constant(design.clone()).matmul(w);
    let zeros = tape.constant(Tensor::zeros([labels.len()]));
    let softplus = Var::stack(&[zeros, logits], 1).logsumexp(1, false);
    let y = tape.constant(labels.clone());
    (softplus - y * logits).mean()
}

/// Two interleaving half circles (as scikit-learn's `make_moons`), with a column of ones appended
/// for the bias: a `[n, 3]` design matrix and the 0/1 labels as floats.
fn moons_design_matrix(n: usize, noise: f64, seed: u64) -> (Tensor, Tensor) {
    let mut rng = StdRng::seed_from_u64(seed);
    let jitter = Normal::new(0.0, noise).expect("noise is a valid standard deviation");
    let outer = n / 2;
    let inner = n - outer;
    let mut rows = Vec::with_capacity(n * 3);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let (x, y, label) = if i < outer {
            let t = std::f64::consts::PI * i as f64 / (outer - 1) as f64;
            (t.cos(), t.sin(), 0.0)
        } else {
            let t = std::f64::consts::PI * (i - outer) as f64 / (inner - 1) as f64;
            (1.0 - t.cos(), 1.0 - t.sin() - 0.5, 1.0)
        };
        rows.extend([
            x + jitter.sample(&mut rng),
            y + jitter.sample(&mut rng),
            1.0,
        ]);
        labels.push(label);
    }
    (
        Tensor::from_vec(rows, [n, 3]),
        Tensor::from_vec(labels, [n]),
    )
}

/// Solves `a·x = b` for a small dense system by Gaussian elimination with partial pivoting.
fn solve(a: &Tensor, b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|r| {
            let mut row = a.row(r).to_vec();
            row.push(b[r]);
            row
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))
            .expect("the column has rows");
        m.swap(col, pivot);
        let pivot_row = m[col].clone();
        for row in m.iter_mut().skip(col + 1) {
            let factor = row[col] / pivot_row[col];
            for (entry, pivot_entry) in row.iter_mut().zip(&pivot_row).skip(col) {
                *entry -= factor * pivot_entry;
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let tail: f64 = (r + 1..n).map(|c| m[r][c] * x[c]).sum();
        x[r] = (m[r][n] - tail) / m[r][r];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_converges_quadratically_within_eight_steps() {
        let (design, labels) = moons_design_matrix(POINTS, 0.2, 0);
        let (_, history) = newton(&design, &labels, 10);
        let norms: Vec<f64> = history.iter().map(|&(_, norm)| norm).collect();
        assert!(norms.len() <= 9, "took {} steps: {norms:?}", norms.len());
        assert!(*norms.last().unwrap() < 1e-12, "{norms:?}");
        // Quadratic convergence: near the optimum each gradient norm is at most about the
        // square of the previous one (times a moderate constant).
        let tail = &norms[norms.len() - 3..];
        assert!(tail[1] < 100.0 * tail[0] * tail[0] && tail[2] < 100.0 * tail[1] * tail[1]);
    }
}
