//! Programmer errors panic with a message naming the op, every shape and the caller's line.

use autograd::{Activation, Tape, Tensor, Var};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// Runs `misuse`, which must panic, and returns the panic's message.
fn panic_message(misuse: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(misuse)).expect_err("the misuse did not panic");
    if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else {
        panic!("the panic carried no message")
    }
}

/// Asserts that `message` holds every piece of `expected` and names `file!():line`.
#[track_caller]
fn assert_names(message: &str, expected: &[&str], line: u32) {
    for piece in expected {
        assert!(message.contains(piece), "{message:?} lacks {piece:?}");
    }
    let location = format!("{}:{line}:", file!());
    assert!(
        message.contains(&location),
        "{message:?} lacks {location:?}"
    );
}

#[test]
fn matmul_of_mismatched_inner_dimensions_names_both_shapes_and_the_line() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([200, 2]));
        let w = tape.var(Tensor::zeros([3, 4]));
        line.set(line!() + 1);
        let _ = x.matmul(w);
    });
    assert_names(
        &message,
        &["matmul: [200, 2] · [3, 4]: inner dimensions 2 and 3 differ"],
        line.get(),
    );
}

#[test]
#[should_panic(
    expected = "matmul: [200, 2] · [3, 4]: inner dimensions 2 and 3 differ (at autograd/tests/"
)]
fn matmul_of_mismatched_inner_dimensions_panics() {
    let tape = Tape::new();
    let x = tape.var(Tensor::zeros([200, 2]));
    let _ = x.matmul(tape.var(Tensor::zeros([3, 4])));
}

#[test]
fn affine_of_mismatched_shapes_names_all_three_and_the_line() {
    /// The input, weight and bias shapes, and the message they must give.
    type Case = (
        &'static [usize],
        &'static [usize],
        &'static [usize],
        &'static str,
    );
    let cases: [Case; 4] = [
        (
            &[200, 2],
            &[3, 4],
            &[4],
            "affine: [200, 2] · [3, 4] + [4]: inner dimensions 2 and 3 differ",
        ),
        (
            &[200, 2],
            &[2, 3],
            &[2],
            "affine: [200, 2] · [2, 3] + [2]: the bias must be a row of 3 values, [3] or [1, 3]",
        ),
        (
            &[200, 2],
            &[2, 3],
            &[200, 3],
            "affine: [200, 2] · [2, 3] + [200, 3]: the bias must be a row of 3 values",
        ),
        (
            &[2, 2, 2],
            &[2, 3],
            &[3],
            "affine: [2, 2, 2] · [2, 3] + [3]: the input must have rank 1 or 2 and the weights rank 2, not 3 and 2",
        ),
    ];
    for (x, w, b, expected) in cases {
        let line = Cell::new(0);
        let message = panic_message(|| {
            let tape = Tape::new();
            let (x, w) = (tape.var(Tensor::zeros(x)), tape.var(Tensor::zeros(w)));
            let b = tape.var(Tensor::zeros(b));
            line.set(line!() + 1);
            let _ = x.affine(w, b);
        });
        assert_names(&message, &[expected], line.get());
    }
}

#[test]
fn dense_of_mismatched_shapes_names_the_op_all_three_shapes_and_the_line() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let (x, w) = (
            tape.var(Tensor::zeros([5, 2])),
            tape.var(Tensor::zeros([3, 4])),
        );
        let b = tape.var(Tensor::zeros([4]));
        line.set(line!() + 1);
        let _ = x.dense(w, b, Activation::Tanh);
    });
    assert_names(
        &message,
        &["dense: [5, 2] · [3, 4] + [4]: inner dimensions 2 and 3 differ"],
        line.get(),
    );
}

#[test]
fn matmul_of_a_rank_three_operand_names_the_ranks() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([2, 2, 2]));
        line.set(line!() + 1);
        let _ = x.matmul(tape.var(Tensor::zeros([2, 2])));
    });
    assert_names(
        &message,
        &["matmul: [2, 2, 2] · [2, 2]: ranks 3 and 2 are not 1 or 2"],
        line.get(),
    );
}

#[test]
fn add_of_shapes_that_do_not_broadcast_names_both_shapes() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let a = tape.var(Tensor::zeros([3, 4]));
        let b = tape.var(Tensor::zeros([3]));
        line.set(line!() + 1);
        let _ = a + b;
    });
    assert_names(
        &message,
        &["add: [3, 4] and [3]: shapes do not broadcast"],
        line.get(),
    );
}

#[test]
fn mul_of_shapes_that_do_not_broadcast_names_both_shapes() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let a = tape.var(Tensor::zeros([2, 3]));
        let b = tape.var(Tensor::zeros([2]));
        line.set(line!() + 1);
        let _ = a * b;
    });
    assert_names(
        &message,
        &["mul: [2, 3] and [2]: shapes do not broadcast"],
        line.get(),
    );
}

#[test]
fn backward_from_a_non_scalar_names_the_shape() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let y = tape.var(Tensor::zeros([2, 3])).tanh();
        line.set(line!() + 1);
        let _ = y.backward();
    });
    assert_names(
        &message,
        &["backward: the output has shape [2, 3], not one element"],
        line.get(),
    );
}

#[test]
fn backward_with_a_seed_of_the_wrong_shape_names_both_shapes() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let y = tape.var(Tensor::zeros([2, 3])).tanh();
        line.set(line!() + 1);
        let _ = y.backward_with(Tensor::zeros([3, 2]));
    });
    assert_names(
        &message,
        &["backward_with: seed of shape [3, 2] for an output of shape [2, 3]"],
        line.get(),
    );
}

#[test]
fn reshape_to_a_different_count_names_both_shapes() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([3, 4]));
        line.set(line!() + 1);
        let _ = x.reshape([5, 2]);
    });
    assert_names(
        &message,
        &["reshape: [3, 4] (12 values) cannot be viewed as [5, 2] (10 values)"],
        line.get(),
    );
}

#[test]
fn an_axis_out_of_range_names_the_op_and_the_shape() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([3, 4]));
        line.set(line!() + 1);
        let _ = x.sum_axis(2, false);
    });
    assert_names(
        &message,
        &["sum_axis: axis 2 is out of range for [3, 4] (rank 2)"],
        line.get(),
    );
}

#[test]
fn softmax_along_a_missing_axis_names_the_op_and_the_shape() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([4]));
        line.set(line!() + 1);
        let _ = x.log_softmax(1);
    });
    assert_names(
        &message,
        &["log_softmax: axis 1 is out of range for [4] (rank 1)"],
        line.get(),
    );
}

#[test]
fn pick_with_an_index_out_of_range_names_the_row_and_the_shape() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([2, 3]));
        line.set(line!() + 1);
        let _ = x.pick(&[0, 3]);
    });
    assert_names(
        &message,
        &["pick: index 3 in row 1 is out of range for [2, 3]"],
        line.get(),
    );
}

#[test]
fn pick_with_too_few_indices_names_the_shape() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([2, 3]));
        line.set(line!() + 1);
        let _ = x.pick(&[0]);
    });
    assert_names(
        &message,
        &["pick: [2, 3] does not have one row per index (1 indices)"],
        line.get(),
    );
}

#[test]
fn slice_past_the_end_names_the_range_and_the_shape() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([5, 4]));
        line.set(line!() + 1);
        let _ = x.slice(1, 3, 2);
    });
    assert_names(
        &message,
        &["slice: 3..5 is out of range for axis 1 of [5, 4]"],
        line.get(),
    );
}

#[test]
fn concat_of_mismatched_shapes_names_them() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let a = tape.var(Tensor::zeros([2, 3]));
        let b = tape.var(Tensor::zeros([2, 4]));
        line.set(line!() + 1);
        let _ = Var::concat(&[a, b], 0);
    });
    assert_names(
        &message,
        &["concat: shapes [[2, 3], [2, 4]] do not join along axis 0"],
        line.get(),
    );
}

#[test]
fn broadcast_to_an_incompatible_shape_names_both_shapes() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([3]));
        line.set(line!() + 1);
        let _ = x.broadcast_to([3, 4]);
    });
    assert_names(
        &message,
        &["broadcast_to: [3] does not broadcast to [3, 4]"],
        line.get(),
    );
}

#[test]
fn vars_of_two_tapes_combined_name_the_op_and_the_line() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let first = Tape::new();
        let second = Tape::new();
        let a = first.var(Tensor::zeros([2]));
        let b = second.var(Tensor::zeros([2]));
        line.set(line!() + 1);
        let _ = a + b;
    });
    assert_names(
        &message,
        &["add: operands", "on different tapes"],
        line.get(),
    );
}

#[test]
fn matmul_of_vars_of_two_tapes_names_the_op() {
    let line = Cell::new(0);
    let message = panic_message(|| {
        let first = Tape::new();
        let second = Tape::new();
        let a = first.var(Tensor::zeros([2, 2]));
        let b = second.var(Tensor::zeros([2, 2]));
        line.set(line!() + 1);
        let _ = a.matmul(b);
    });
    assert_names(
        &message,
        &["matmul: operands", "on different tapes"],
        line.get(),
    );
}

/// A custom op with a plain backward rule but none written with `Var` ops.
struct Doubling;

impl autograd::CustomOp for Doubling {
    fn name(&self) -> &str {
        "doubling"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| 2.0 * x)
    }

    fn backward(&self, _inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.map(|grad| 2.0 * grad)]
    }
}

#[test]
#[should_panic(
    expected = "backward_graph: custom op `doubling` (recorded at autograd/tests/suite/misuse.rs:"
)]
fn backward_graph_through_a_custom_op_without_a_recorded_rule_panics() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![1.0, 2.0], [2]));
    let y = Var::custom(Arc::new(Doubling), &[x]).square().sum();
    assert_eq!(y.backward()[x].data(), &[8.0, 16.0]);
    let _ = y.backward_graph();
}

#[test]
fn softmax_cross_entropy_names_the_bad_label_or_the_shape_and_the_line() {
    let cases: [(&[usize], &str); 2] = [
        (
            &[0, 2, 1],
            "softmax_cross_entropy: label 2 in row 1 is out of range for 2 classes",
        ),
        (
            &[0, 1],
            "softmax_cross_entropy: logits [3, 2] do not have one row per label (2 labels)",
        ),
    ];
    for (labels, expected) in cases {
        let line = Cell::new(0);
        let message = panic_message(|| {
            let tape = Tape::new();
            let logits = tape.var(Tensor::zeros([3, 2]));
            line.set(line!() + 1);
            let _ = logits.softmax_cross_entropy(labels);
        });
        assert_names(&message, &[expected], line.get());
    }
}

#[test]
#[should_panic(
    expected = "normalize: eps must be finite and not negative, not -0.1 (at autograd/tests/"
)]
fn normalize_with_a_negative_eps_panics() {
    let tape = Tape::new();
    let _ = tape.var(Tensor::zeros([2, 3])).normalize(1, -0.1);
}

#[test]
#[should_panic(
    expected = "normalize: axis 2 is out of range for [2, 3] (rank 2) (at autograd/tests/"
)]
fn normalize_along_an_axis_past_the_rank_panics() {
    let tape = Tape::new();
    let _ = tape.var(Tensor::zeros([2, 3])).normalize(2, 1e-5);
}

#[test]
fn normalize_with_eps_zero_gives_nan_on_a_constant_lane_and_zeros_with_eps() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_rows(&[[3.0, 3.0], [1.0, 2.0]]));
    let exact = x.normalize(1, 0.0).value().clone();
    assert!(exact.data()[..2].iter().all(|v| v.is_nan()), "{exact:?}");
    assert_eq!(&exact.data()[2..], &[-1.0, 1.0]);
    assert_eq!(&x.normalize(1, 1e-5).value().data()[..2], &[0.0, 0.0]);
}
