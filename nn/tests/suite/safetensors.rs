//! Parameters as safetensors: files made by the reference implementation (`bench/
//! safetensors_fixture.py`, the `safetensors` Python package) read to the same numbers, what nn
//! writes follows the format, and damaged bytes give errors.

use nn::checkpoint::{CheckpointError, SafetensorsError, from_safetensors, to_safetensors};
use nn::{Activation, Init, Mlp};
use serde_json::Value;

/// Written by `safetensors.numpy.save_file`, F64, with nn's metadata.
const TUTORIAL_F64: &[u8] = include_bytes!("../fixtures/tutorial_f64.safetensors");
/// Written by `safetensors.numpy.save_file`, F32, without metadata.
const BARE_F32: &[u8] = include_bytes!("../fixtures/bare_f32.safetensors");

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|value| value.to_bits()).collect()
}

#[test]
fn a_file_from_the_reference_implementation_reads_to_the_same_numbers() {
    let model = from_safetensors(TUTORIAL_F64).unwrap();
    assert_eq!(model.sizes(), &[2, 3, 2]);
    assert_eq!(model.activations(), &[Activation::Tanh]);
    // The literals of bench/safetensors_fixture.py's tutorial_tensors().
    let expected: [(&str, &[usize], Vec<f64>); 4] = [
        (
            "W1",
            &[2, 3],
            vec![0.5, -1.25, 1.0 / 3.0, -0.0, 5e-324, 2.0],
        ),
        ("b1", &[3], vec![0.1, -0.2, 1e300]),
        ("W2", &[3, 2], vec![1.0, -1.0, 0.25, 0.75, -2.5, 3.0]),
        ("b2", &[2], vec![0.0, -7.0 / 3.0]),
    ];
    for (name, dims, values) in expected {
        let tensor = model.params().get(name).unwrap();
        assert_eq!(tensor.dims(), dims, "{name}");
        assert_eq!(bits(tensor.data()), bits(&values), "{name}");
    }
}

#[test]
fn a_bare_f32_file_gives_its_sizes_from_the_weights_and_tanh_layers() {
    let model = from_safetensors(BARE_F32).unwrap();
    assert_eq!(model.sizes(), &[3, 4, 2]);
    assert_eq!(model.activations(), &[Activation::Tanh]);
    // (arange(12) − 5.5) / 8 and (arange(8) − 3) / 3, computed in f32 as numpy does.
    let w1: Vec<f64> = (0..12).map(|i| f64::from((i as f32 - 5.5) / 8.0)).collect();
    let w2: Vec<f64> = (0..8).map(|i| f64::from((i as f32 - 3.0) / 3.0)).collect();
    let b1: Vec<f64> = [0.5f32, -0.5, 0.1, 0.0].map(f64::from).to_vec();
    assert_eq!(bits(model.params().get("W1").unwrap().data()), bits(&w1));
    assert_eq!(bits(model.params().get("W2").unwrap().data()), bits(&w2));
    assert_eq!(bits(model.params().get("b1").unwrap().data()), bits(&b1));
    assert_eq!(model.params().get("b2").unwrap().data(), &[1.5, -1.5]);
}

#[test]
fn what_nn_writes_follows_the_format_and_reads_back_bit_for_bit() {
    let activations = [Activation::LeakyRelu { slope: 0.2 }, Activation::Gelu];
    let model = Mlp::with_activations(&[3, 5, 4, 2], &activations, Init::Xavier, 9);
    let bytes = to_safetensors(&model);
    assert_eq!(from_safetensors(&bytes).unwrap(), model);

    // The layout, read here by hand: length, JSON header, raw little-endian f64s.
    let header_length = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    assert_eq!((8 + header_length) % 8, 0, "the data starts 8-byte aligned");
    let header: Value = serde_json::from_slice(&bytes[8..8 + header_length]).unwrap();
    let data = &bytes[8 + header_length..];
    assert_eq!(header["__metadata__"]["sizes"], "3,5,4,2");
    assert_eq!(header["__metadata__"]["activations"], "leaky_relu:0.2,gelu");
    let mut total = 0;
    for (name, tensor) in model.params().iter() {
        let entry = &header[name];
        assert_eq!(entry["dtype"], "F64", "{name}");
        assert_eq!(entry["shape"], serde_json::json!(tensor.dims()), "{name}");
        let begin = entry["data_offsets"][0].as_u64().unwrap() as usize;
        let end = entry["data_offsets"][1].as_u64().unwrap() as usize;
        let values: Vec<f64> = data[begin..end]
            .chunks_exact(8)
            .map(|chunk| f64::from_le_bytes(chunk.try_into().unwrap()))
            .collect();
        assert_eq!(bits(&values), bits(tensor.data()), "{name}");
        total += end - begin;
    }
    assert_eq!(total, data.len());
}

fn safetensors_error(bytes: &[u8]) -> SafetensorsError {
    match from_safetensors(bytes) {
        Err(CheckpointError::Safetensors(error)) => error,
        other => panic!("expected a safetensors error, got {other:?}"),
    }
}

#[test]
fn damaged_bytes_are_errors_never_panics() {
    for length in 0..TUTORIAL_F64.len() {
        assert!(
            from_safetensors(&TUTORIAL_F64[..length]).is_err(),
            "cut at {length}"
        );
    }
    assert_eq!(
        safetensors_error(&[1, 2, 3]),
        SafetensorsError::TooShort { length: 3 }
    );
    let mut huge = TUTORIAL_F64.to_vec();
    huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        safetensors_error(&huge),
        SafetensorsError::HeaderLength { .. }
    ));
    let mut extra = TUTORIAL_F64.to_vec();
    extra.push(0);
    assert!(matches!(
        safetensors_error(&extra),
        SafetensorsError::Layout { .. }
    ));
}

/// The fixture with `from` replaced by `to` in its header (same length, so offsets stay valid).
fn edited(from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let header_length = u64::from_le_bytes(TUTORIAL_F64[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&TUTORIAL_F64[8..8 + header_length]).unwrap();
    assert!(header.contains(from), "{header}");
    let mut bytes = TUTORIAL_F64[..8].to_vec();
    bytes.extend_from_slice(header.replacen(from, to, 1).as_bytes());
    bytes.extend_from_slice(&TUTORIAL_F64[8 + header_length..]);
    bytes
}

#[test]
fn a_wrong_header_names_the_tensor_and_the_field() {
    let message = from_safetensors(&edited("\"F64\"", "\"I64\""))
        .unwrap_err()
        .to_string();
    assert!(message.contains("dtype \"I64\""), "{message}");
    let message = from_safetensors(&edited("[2,3]", "[3,3]"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("data_offsets"), "{message}");
    let message = from_safetensors(&edited("\"tanh\"", "\"tank\""))
        .unwrap_err()
        .to_string();
    assert!(message.contains("__metadata__.activations"), "{message}");
    let message = from_safetensors(&edited("\"2,3,2\"", "\"2,4,2\""))
        .unwrap_err()
        .to_string();
    assert!(message.contains("W1"), "{message}");
}
