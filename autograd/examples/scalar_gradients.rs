//! Lesson 1: a scalar expression and its gradients, the classic first example of autodiff.
//!
//! Run with `cargo run -p autograd --example scalar_gradients`.
//!
//! We compute `f(a, b) = (a·b + tanh a)² / b` step by step. Each operation computes its
//! value *now* and records a node on the tape. `backward` then walks the nodes in reverse, and
//! each node passes `dL/d(its output) × d(its output)/d(its input)` to its inputs (the chain
//! rule), adding up where a value was used twice.

use autograd::{Gradients, Tape, Tensor};

fn main() {
    let tape = Tape::new();
    let (a, b) = (2.0, -3.0);
    let (grads, f, a_var, b_var) = {
        let a_var = tape.var(Tensor::scalar(a));
        let b_var = tape.var(Tensor::scalar(b));
        let product = a_var * b_var; //           c = a·b          = −6
        let hidden = a_var.tanh(); //             d = tanh a
        let sum = product + hidden; //            e = c + d
        let f = sum.square() / b_var; //          f = e² / b
        let grads: Gradients = f.backward();
        (grads, f.item(), a_var, b_var)
    };
    println!("f(2, -3) = {f}");
    println!(
        "df/da = {} (by hand: {})",
        grads[a_var].item(),
        by_hand(a, b).0
    );
    println!(
        "df/db = {} (by hand: {})",
        grads[b_var].item(),
        by_hand(a, b).1
    );
    println!("\nThe tape, one line per recorded op, with each node's gradient:");
    print!("{}", tape.listing(Some(&grads)));
}

/// The same derivatives by hand, for comparison. With `e = a·b + tanh a` and `f = e²/b`:
/// `df/da = 2e·(b + 1 − tanh²a)/b` and `df/db = 2e·a/b − e²/b²` (b appears twice: in `e` and
/// in the divisor, so its two contributions add — exactly what the engine does on fan-out).
fn by_hand(a: f64, b: f64) -> (f64, f64) {
    let e = a * b + a.tanh();
    let df_da = 2.0 * e * (b + 1.0 - a.tanh().powi(2)) / b;
    let df_db = 2.0 * e * a / b - e * e / (b * b);
    (df_da, df_db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_agrees_with_the_hand_derivation() {
        let tape = Tape::new();
        let a = tape.var(Tensor::scalar(2.0));
        let b = tape.var(Tensor::scalar(-3.0));
        let f = (a * b + a.tanh()).square() / b;
        let grads = f.backward();
        let (df_da, df_db) = by_hand(2.0, -3.0);
        assert!((grads[a].item() - df_da).abs() <= 1e-14 * df_da.abs());
        assert!((grads[b].item() - df_db).abs() <= 1e-14 * df_db.abs());
    }
}
