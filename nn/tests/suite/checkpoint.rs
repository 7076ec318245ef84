//! Checkpoints: bit-exact round trips, atomic saves, and one test per kind of damage.

use nn::checkpoint::{self, CheckpointError, from_json, load, save, to_json};
use nn::{Activation, Init, Mlp};
use std::fs;
use std::path::PathBuf;

fn model() -> Mlp {
    Mlp::with_activations(
        &[2, 4, 3, 2],
        &[Activation::Relu, Activation::Sigmoid],
        Init::He,
        11,
    )
}

/// A valid checkpoint of the tutorial's shape, with `replace` applied to its text.
fn damaged(replace: &[(&str, &str)]) -> Result<Mlp, CheckpointError> {
    let mut text = String::from(
        r#"{
  "sizes": [2, 3, 2],
  "activations": ["tanh"],
  "params": {
    "W1": { "shape": [2, 3], "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] },
    "b1": { "shape": [3], "data": [0.0, 0.0, 0.0] },
    "W2": { "shape": [3, 2], "data": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] },
    "b2": { "shape": [2], "data": [0.0, 0.0] }
  }
}"#,
    );
    for (from, to) in replace {
        assert!(text.contains(from), "the fixture has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    from_json(&text)
}

fn message(result: Result<Mlp, CheckpointError>) -> String {
    match result {
        Ok(_) => panic!("a damaged checkpoint was accepted"),
        Err(error) => error.to_string(),
    }
}

fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-checkpoint-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_undamaged_fixture_loads() {
    let model = damaged(&[]).unwrap();
    assert_eq!(model.sizes(), &[2, 3, 2]);
    assert_eq!(model.params().get("W2").unwrap()[[2, 1]], 6.0);
}

#[test]
fn a_json_round_trip_is_bit_exact() {
    let mut original = model();
    // Awkward values: negative zero, a subnormal, extremes, and digits that need all 17 places.
    let awkward = [-0.0, 5e-324, 1e300, -f64::MAX, 0.1, 1.0 / 3.0, 2.5e-8];
    let weights = original.params_mut().get_mut("W1").unwrap().data_mut();
    weights[..awkward.len()].copy_from_slice(&awkward);
    let restored = from_json(&to_json(&original)).unwrap();
    assert_eq!(restored.sizes(), original.sizes());
    assert_eq!(restored.activations(), original.activations());
    assert_eq!(
        restored.params().names().collect::<Vec<_>>(),
        original.params().names().collect::<Vec<_>>()
    );
    for ((name, got), (_, want)) in restored.params().iter().zip(original.params().iter()) {
        assert_eq!(got.dims(), want.dims(), "{name}");
        let got_bits: Vec<u64> = got.data().iter().map(|x| x.to_bits()).collect();
        let want_bits: Vec<u64> = want.data().iter().map(|x| x.to_bits()).collect();
        assert_eq!(got_bits, want_bits, "{name}");
    }
}

#[test]
fn a_saved_file_loads_back_bit_exact_and_names_params_in_store_order() {
    let dir = scratch_dir("file");
    let path = dir.join("model.json");
    let original = model();
    save(&original, &path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let positions: Vec<usize> = ["\"W1\"", "\"b1\"", "\"W2\"", "\"b2\"", "\"W3\"", "\"b3\""]
        .iter()
        .map(|name| text.find(name).unwrap())
        .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
    assert_eq!(load(&path).unwrap(), original);
    // Saving again replaces the file whole.
    let other = Mlp::logistic(2, 2, 3);
    save(&other, &path).unwrap();
    assert_eq!(load(&path).unwrap(), other);
    let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files were left behind");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_save_into_a_missing_directory_leaves_nothing_and_names_the_file() {
    let dir = scratch_dir("missing");
    let path = dir.join("no such directory").join("model.json");
    let error = save(&model(), &path).unwrap_err();
    assert!(matches!(error, CheckpointError::Io { .. }), "{error}");
    assert!(error.to_string().contains("no such directory"), "{error}");
    assert!(!path.exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_model_holding_nan_is_refused_and_the_previous_file_kept() {
    let dir = scratch_dir("nan");
    let path = dir.join("model.json");
    let good = model();
    save(&good, &path).unwrap();
    let mut bad = good.clone();
    bad.params_mut().get_mut("b2").unwrap().data_mut()[1] = f64::NAN;
    let error = save(&bad, &path).unwrap_err();
    assert_eq!(
        error.to_string(),
        "checkpoint: parameter \"b2\" element 1 is NaN, which JSON cannot hold"
    );
    assert_eq!(load(&path).unwrap(), good);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let error = load(&PathBuf::from("/nonexistent/model.json")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("checkpoint: cannot read /nonexistent/model.json: "),
        "{error}"
    );
}

#[test]
fn text_that_is_not_json_is_a_syntax_error_with_its_position() {
    let error = message(damaged(&[(
        "\"sizes\": [2, 3, 2],",
        "\"sizes\": [2, 3, 2]",
    )]));
    assert!(
        error.starts_with("checkpoint: not valid JSON at line 3 column 3: "),
        "{error}"
    );
}

#[test]
fn a_truncated_checkpoint_says_the_text_ends_early() {
    let text = to_json(&model());
    let error = from_json(&text[..text.len() / 2]).unwrap_err();
    assert!(matches!(error, CheckpointError::Syntax { .. }));
    assert!(error.to_string().contains("ends too early"), "{error}");
}

#[test]
fn every_prefix_of_a_checkpoint_is_rejected_without_panicking() {
    let text = to_json(&Mlp::logistic(2, 2, 1));
    let end = text.trim_end().len();
    for cut in 0..end {
        if text.is_char_boundary(cut) {
            assert!(
                from_json(&text[..cut]).is_err(),
                "prefix of {cut} bytes accepted"
            );
        }
    }
}

#[test]
fn arbitrary_damage_never_panics() {
    let text = to_json(&model());
    let bytes = text.as_bytes();
    let replacements = [b'x', b'"', b'{', b']', b'-', b'9', b'.', b'e', b' ', b'\\'];
    for position in (0..bytes.len()).step_by(3) {
        for &replacement in &replacements {
            let mut mutated = bytes.to_vec();
            mutated[position] = replacement;
            if let Ok(text) = String::from_utf8(mutated) {
                let _ = from_json(&text);
            }
        }
    }
    for text in ["", "null", "[]", "42", "\"sizes\"", "{}", "{\"sizes\": {}}"] {
        assert!(from_json(text).is_err(), "{text:?} accepted");
    }
}

#[test]
fn the_top_level_must_be_an_object() {
    assert_eq!(
        message(from_json("[1, 2]")),
        "checkpoint: \"checkpoint\" should be an object, found an array of 2 items"
    );
}

#[test]
fn a_missing_field_is_named() {
    assert_eq!(
        message(damaged(&[("\"activations\"", "\"activation\"")])),
        "checkpoint: missing field \"activations\""
    );
    assert_eq!(
        message(damaged(&[("\"shape\": [3, 2], \"data\"", "\"data\"")])),
        "checkpoint: missing field \"params.W2.shape\""
    );
}

#[test]
fn a_size_that_is_not_a_whole_number_is_named() {
    assert_eq!(
        message(damaged(&[("[2, 3, 2]", "[2, -3, 2]")])),
        "checkpoint: \"sizes[1]\" should be a whole number, found the number -3"
    );
    assert_eq!(
        message(damaged(&[("\"sizes\": [2, 3, 2]", "\"sizes\": \"2,3,2\"")])),
        "checkpoint: \"sizes\" should be an array, found the string \"2,3,2\""
    );
}

#[test]
fn an_unknown_activation_is_named() {
    assert_eq!(
        message(damaged(&[("\"tanh\"", "\"swish\"")])),
        "checkpoint: \"activations[0]\" is \"swish\", not an activation (tanh, relu, sigmoid, leaky_relu[:SLOPE], softplus, elu[:ALPHA] or gelu)"
    );
}

#[test]
fn an_architecture_that_does_not_add_up_is_refused() {
    assert_eq!(
        message(damaged(&[("[\"tanh\"]", "[\"tanh\", \"relu\"]")])),
        "checkpoint: 2 activations given for 1 hidden layers"
    );
    assert_eq!(
        message(damaged(&[("[2, 3, 2]", "[2, 0, 2]")])),
        "checkpoint: layer size 1 is 0"
    );
}

#[test]
fn a_missing_parameter_is_named() {
    let error = damaged(&[(
        ",\n    \"b2\": { \"shape\": [2], \"data\": [0.0, 0.0] }",
        "",
    )]);
    assert_eq!(message(error), "checkpoint: parameter \"b2\" is missing");
}

#[test]
fn an_unexpected_parameter_is_named() {
    let error = damaged(&[(
        "\"b2\": {",
        "\"W3\": { \"shape\": [1], \"data\": [1.0] },\n    \"b2\": {",
    )]);
    assert_eq!(message(error), "checkpoint: unexpected parameter \"W3\"");
}

#[test]
fn a_parameter_of_the_wrong_shape_is_named_with_both_shapes() {
    let error = damaged(&[("[2, 3, 2]", "[2, 3, 4]")]);
    assert_eq!(
        message(error),
        "checkpoint: parameter \"W2\" has shape [3, 2], expected [3, 4]"
    );
}

#[test]
fn data_of_the_wrong_length_is_named() {
    let error = damaged(&[(
        "[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]",
        "[1.0, 2.0, 3.0, 4.0, 5.0]",
    )]);
    assert_eq!(
        message(error),
        "checkpoint: parameter \"W2\" holds 5 numbers, its shape calls for 6"
    );
}

#[test]
fn data_that_is_not_a_number_is_named_with_its_position() {
    assert_eq!(
        message(damaged(&[("0.4, 0.5", "\"abc\", 0.5")])),
        "checkpoint: \"params.W1.data[3]\" should be a number, found the string \"abc\""
    );
    assert_eq!(
        message(damaged(&[("[0.0, 0.0]", "[0.0, null]")])),
        "checkpoint: \"params.b2.data[1]\" should be a number, found null"
    );
}

#[test]
fn a_number_too_large_for_f64_is_a_syntax_error() {
    let error = message(damaged(&[("0.5, 0.6", "0.5, 1e400")]));
    assert!(error.contains("number out of range"), "{error}");
}

#[test]
fn the_module_docs_example_is_a_valid_checkpoint() {
    // The format documented in nn::checkpoint, as written there.
    let documented = r#"{
      "sizes": [2, 3, 2],
      "activations": ["tanh"],
      "params": {
        "W1": { "shape": [2, 3], "data": [0.1, -0.2, 0.3, 0.4, 0.5, -0.6] },
        "b1": { "shape": [3], "data": [0.0, 0.0, 0.0] },
        "W2": { "shape": [3, 2], "data": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] },
        "b2": { "shape": [2], "data": [0.0, 0.0] }
      }
    }"#;
    let model = checkpoint::from_json(documented).unwrap();
    assert_eq!(model.params().get("W1").unwrap()[[1, 2]], -0.6);
}
