//! Broadcasting: shapes that do not broadcast panic with a clear message, and shapes that do
//! reduce back exactly.

use autograd::{Tape, Tensor, Var};
use proptest::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tests::config::config;
use tests::shapes::{broadcast_pair, broadcast_target, non_broadcast_pair, numel};
use tests::values::moderate;

/// The binary elementwise ops, by the name their panics use.
const OPS: [&str; 4] = ["add", "sub", "mul", "div"];

/// Applies the op named `op` to `a` and `b`.
fn apply<'t>(op: &str, a: Var<'t>, b: Var<'t>) -> Var<'t> {
    match op {
        "add" => a + b,
        "sub" => a - b,
        "mul" => a * b,
        _ => a / b,
    }
}

/// The message of the panic `f` raises, or `None` if it returns.
fn panic_message(f: impl FnOnce()) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
    Some(match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|message| message.to_string())
            .unwrap_or_default(),
    })
}

proptest! {
    #![proptest_config(config("broadcasting", 256))]

    #[test]
    fn shapes_that_do_not_broadcast_panic_naming_the_op_both_shapes_and_the_caller(
        (a, b) in non_broadcast_pair(),
        op in prop::sample::select(OPS.to_vec()),
    ) {
        let message = panic_message(|| {
            let tape = Tape::new();
            let x = tape.var(Tensor::ones(a.as_slice()));
            let y = tape.var(Tensor::ones(b.as_slice()));
            apply(op, x, y);
        });
        let message = message.unwrap_or_else(|| panic!("{op} of {a:?} and {b:?} did not panic"));
        prop_assert!(message.starts_with(&format!("{op}: ")), "{message}");
        prop_assert!(message.contains(&format!("{a:?}")), "{message}");
        prop_assert!(message.contains(&format!("{b:?}")), "{message}");
        prop_assert!(message.contains("broadcast"), "{message}");
        prop_assert!(message.contains(file!()), "the message does not name the caller: {message}");
    }

    #[test]
    fn broadcasting_then_summing_back_restores_the_shape_and_scales_by_the_copies(
        (x, to) in broadcast_target().prop_flat_map(|(from, to)| (moderate(from), Just(to))),
    ) {
        let tape = Tape::new();
        let from = x.dims().to_vec();
        let restored = tape.constant(x.clone()).broadcast_to(to.as_slice()).sum_to(from.as_slice());
        prop_assert_eq!(restored.shape().dims().to_vec(), from.clone());
        // Each element was copied numel(to) / numel(from) times, then those copies were summed.
        let copies = (numel(&to) / numel(&from)) as f64;
        for (restored, original) in restored.value().data().iter().zip(x.data()) {
            prop_assert!((restored - copies * original).abs() <= 1e-12 * copies.max(1.0) * 2.0);
        }
    }

    #[test]
    fn broadcast_operands_receive_gradients_of_their_own_shape(
        (a, b) in broadcast_pair().prop_flat_map(|(a, b)| (moderate(a), moderate(b))),
    ) {
        let tape = Tape::new();
        let x = tape.var(a.clone());
        let y = tape.var(b.clone());
        let sum = x + y;
        let result_count = sum.shape().numel();
        let grads = sum.sum().backward();
        prop_assert_eq!(grads[x].dims(), a.dims());
        prop_assert_eq!(grads[y].dims(), b.dims());
        // d(Σ (a + b))/da_i counts the result elements a_i was copied to.
        let copies_a = (result_count / a.len()) as f64;
        let copies_b = (result_count / b.len()) as f64;
        prop_assert!(grads[x].data().iter().all(|&g| g == copies_a), "{:?}", grads[x]);
        prop_assert!(grads[y].data().iter().all(|&g| g == copies_b), "{:?}", grads[y]);
    }
}
