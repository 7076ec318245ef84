//! The checkpoint loader on hostile text: arbitrary strings and damaged checkpoints give an error, never a panic.

use nn::checkpoint::{CheckpointError, from_json, load, to_json};
use nn::{Activation, Init, Mlp, ModelError};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// `default_cases` cases, unless `PROPTEST_CASES` is set (proptest then reads it itself).
fn config(default_cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}

/// Characters that matter to JSON and to the checkpoint format, so that edits reach past the parser.
const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "-",
    "0",
    "1",
    "9",
    ".",
    "e",
    "E",
    "+",
    " ",
    "\n",
    "\\",
    "null",
    "true",
    "\"tanh\"",
    "\"W1\"",
    "\"shape\"",
    "\"data\"",
    "\"sizes\"",
    "1e308",
    "18446744073709551615",
    "4294967296",
    "\u{fffd}",
];

/// One edit of a text: delete, insert or replace at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, piece: usize },
    Replace { at: f64, piece: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = 0..JSON_PIECES.len();
    prop_oneof![
        (0.0..1.0, 1usize..8).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0.0..1.0, piece.clone()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (0.0..1.0, piece).prop_map(|(at, piece)| Edit::Replace { at, piece }),
    ]
}

/// `text` with `edits` applied in turn, on bytes (so an edit may split a character).
fn damage(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        let position = |at: f64| ((at * bytes.len() as f64) as usize).min(bytes.len());
        match *edit {
            Edit::Delete { at, len } => {
                let start = position(at);
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert { at, piece } => {
                let start = position(at);
                bytes.splice(start..start, JSON_PIECES[piece].bytes());
            }
            Edit::Replace { at, piece } => {
                let start = position(at);
                let end = (start + 1).min(bytes.len());
                bytes.splice(start..end, JSON_PIECES[piece].bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A model with 1 to 3 hidden layers of 1 to 4 units, or none, from a seed.
fn model() -> impl Strategy<Value = Mlp> {
    (
        proptest::collection::vec(1usize..5, 2..6),
        0usize..3,
        any::<u64>(),
    )
        .prop_map(|(sizes, activation, seed)| {
            let activation = [Activation::Tanh, Activation::Relu, Activation::Sigmoid][activation];
            Mlp::new(&sizes, activation, Init::He, seed)
        })
}

/// Whatever `text` is, loading it returns; a model that loads saves and loads back to itself.
fn loads_or_refuses(text: &str) {
    if let Ok(model) = from_json(text) {
        assert_eq!(from_json(&to_json(&model)).unwrap(), model);
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes_give_a_model_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        loads_or_refuses(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_strings_give_a_model_or_an_error(text in any::<String>()) {
        loads_or_refuses(&text);
    }

    #[test]
    fn strings_of_json_pieces_give_a_model_or_an_error(
        pieces in proptest::collection::vec(0..JSON_PIECES.len(), 0..64),
    ) {
        let text: String = pieces.iter().map(|&piece| JSON_PIECES[piece]).collect();
        loads_or_refuses(&text);
    }

    #[test]
    fn damaged_checkpoints_give_a_model_or_an_error(
        model in model(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        loads_or_refuses(&damage(&to_json(&model), &edits));
    }

    #[test]
    fn valid_checkpoints_round_trip_bit_for_bit(model in model()) {
        let loaded = from_json(&to_json(&model)).unwrap();
        prop_assert_eq!(&loaded, &model);
        for ((_, saved), (_, back)) in model.params().iter().zip(loaded.params().iter()) {
            let saved_bits: Vec<u64> = saved.data().iter().map(|v| v.to_bits()).collect();
            let back_bits: Vec<u64> = back.data().iter().map(|v| v.to_bits()).collect();
            prop_assert_eq!(saved_bits, back_bits);
        }
    }

    #[test]
    fn files_of_arbitrary_bytes_give_a_model_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        let dir = std::env::temp_dir().join(format!("robust_checkpoint_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("model.json");
        std::fs::write(&path, &bytes).unwrap();
        let result = load(&path);
        if std::str::from_utf8(&bytes).is_err() {
            prop_assert!(matches!(result, Err(CheckpointError::Io { .. })), "{:?}", result);
        }
    }
}

#[test]
fn layer_sizes_whose_product_overflows_are_an_error() {
    let huge = 1u64 << 33;
    let text = format!(
        r#"{{"sizes": [{huge}, {huge}], "activations": [],
            "params": {{"W1": {{"shape": [{huge}, {huge}], "data": []}},
                        "b1": {{"shape": [{huge}], "data": []}}}}}}"#
    );
    let error = from_json(&text).unwrap_err();
    assert!(
        matches!(&error, CheckpointError::ShapeTooLarge { name, shape } if name == "W1" && shape == &[1 << 33, 1 << 33]),
        "{error}"
    );
}

#[test]
fn a_checkpoint_nested_too_deeply_is_a_syntax_error() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        from_json(&text).unwrap_err(),
        CheckpointError::Syntax { .. }
    ));
}

#[test]
fn a_zero_layer_size_is_a_model_error() {
    let text = r#"{"sizes": [2, 0], "activations": [], "params": {}}"#;
    assert!(matches!(
        from_json(text).unwrap_err(),
        CheckpointError::Model(ModelError::ZeroSize { index: 1 })
    ));
}
