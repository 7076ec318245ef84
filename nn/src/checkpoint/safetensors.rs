//! A model's parameters as safetensors, the format that PyTorch, JAX and candle load in one line.
//!
//! The layout (<https://huggingface.co/docs/safetensors>): an 8-byte little-endian length `N`, then
//! `N` bytes of JSON header, then the raw data. The header maps each tensor's name to its
//! `dtype`, `shape` and `data_offsets` (`[begin, end)` in bytes from the start of the data), and
//! may hold a `__metadata__` object of strings. Numbers are little-endian; the tensors tile the
//! data exactly, without gaps or overlaps.
//!
//! Written: every parameter as `F64`, in the model's order (`W1`, `b1`, `W2`, ...), weights
//! `[in, out]` as the model computes `x·W + b` (a PyTorch `nn.Linear` stores the transpose), and
//! `__metadata__` with `sizes` (`"2,3,2"`) and `activations` (`"tanh"`, comma-separated), the
//! header padded with spaces to a multiple of 8 bytes as the reference implementation does.
//! Read: `F64` or `F32` tensors (widened exactly); without `__metadata__`, the sizes are taken
//! from the weights' shapes and every hidden layer is tanh (the tutorial's).

use super::CheckpointError;
use crate::mlp::{Mlp, weight_name};
use crate::params::Params;
use autograd::{Activation, Tensor};
use serde_json::{Map, Value};
use std::fmt;
use std::fmt::Write as _;

/// The key of the header's free-form string map.
const METADATA: &str = "__metadata__";

/// What is wrong with safetensors bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SafetensorsError {
    /// Fewer than the 8 bytes of the header's length.
    TooShort {
        /// How many bytes there are.
        length: usize,
    },
    /// The header's declared length runs past the end of the bytes.
    HeaderLength {
        /// The length the first 8 bytes declare.
        declared: u64,
        /// The bytes after them.
        available: usize,
    },
    /// The header is not a UTF-8 JSON object.
    Header {
        /// The parser's description.
        message: String,
    },
    /// A header field is missing or holds the wrong kind of value.
    Field {
        /// Where (`W1.shape`, `__metadata__.sizes`).
        field: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// A tensor's element type is neither `F64` nor `F32`.
    Dtype {
        /// The tensor.
        name: String,
        /// The type the header gives.
        dtype: String,
    },
    /// A tensor's byte range does not fit its shape, or lies outside the data.
    Range {
        /// The tensor.
        name: String,
        /// Its `data_offsets`.
        offsets: [u64; 2],
        /// The bytes its shape and type call for.
        expected_bytes: u128,
        /// The bytes of data after the header.
        data_bytes: usize,
    },
    /// The tensors do not tile the data exactly (a gap, an overlap, or bytes left over).
    Layout {
        /// Where the data is not covered exactly, in bytes from its start.
        at: u64,
    },
}

impl fmt::Display for SafetensorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SafetensorsError::TooShort { length } => {
                write!(f, "{length} bytes, fewer than the 8 of the header length")
            }
            SafetensorsError::HeaderLength {
                declared,
                available,
            } => write!(
                f,
                "the header claims {declared} bytes but only {available} follow"
            ),
            SafetensorsError::Header { message } => {
                write!(f, "the header is not a JSON object: {message}")
            }
            SafetensorsError::Field { field, expected } => {
                write!(f, "header field {field:?} should be {expected}")
            }
            SafetensorsError::Dtype { name, dtype } => write!(
                f,
                "tensor {name:?} has dtype {dtype:?}; only F64 and F32 are read"
            ),
            SafetensorsError::Range {
                name,
                offsets,
                expected_bytes,
                data_bytes,
            } => write!(
                f,
                "tensor {name:?} has data_offsets {offsets:?}, but its shape needs {expected_bytes} bytes \
                 within the {data_bytes} bytes of data"
            ),
            SafetensorsError::Layout { at } => write!(
                f,
                "the tensors do not cover the data exactly (a gap, overlap or extra bytes at byte {at})"
            ),
        }
    }
}

impl std::error::Error for SafetensorsError {}

/// The model's parameters and architecture as safetensors bytes (see the [module docs](self)).
pub fn to_safetensors(model: &Mlp) -> Vec<u8> {
    let sizes: Vec<String> = model.sizes().iter().map(usize::to_string).collect();
    let activations: Vec<String> = model.activations().iter().map(|a| a.to_string()).collect();
    let mut header = String::from("{");
    // Writing to a String cannot fail.
    let _ = write!(
        header,
        "\"{METADATA}\":{{\"sizes\":\"{}\",\"activations\":\"{}\"}}",
        sizes.join(","),
        activations.join(",")
    );
    let mut offset = 0;
    for (name, tensor) in model.params().iter() {
        let end = offset + 8 * tensor.len();
        let _ = write!(
            header,
            ",\"{name}\":{{\"dtype\":\"F64\",\"shape\":{:?},\"data_offsets\":[{offset},{end}]}}",
            tensor.dims()
        );
        offset = end;
    }
    header.push('}');
    while (8 + header.len()) % 8 != 0 {
        header.push(' ');
    }
    let mut bytes = Vec::with_capacity(8 + header.len() + offset);
    bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for (_, tensor) in model.params().iter() {
        for value in tensor.data() {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    bytes
}

/// The model in safetensors `bytes` (see the [module docs](self)), bit for bit as written.
///
/// Never panics: bytes that are cut short, a header that is not JSON or lacks a field, an
/// unsupported dtype, offsets that do not fit, or parameters that do not make a model give an
/// error saying which.
pub fn from_safetensors(bytes: &[u8]) -> Result<Mlp, CheckpointError> {
    let (metadata, params) = read_tensors(bytes)?;
    let sizes = match metadata.get("sizes") {
        Some(text) => parse_sizes(text)?,
        None => sizes_from_weights(&params),
    };
    let hidden = sizes.len().saturating_sub(2);
    let activations = match metadata.get("activations") {
        Some(text) => parse_activations(text)?,
        None => vec![Activation::Tanh; hidden],
    };
    Ok(Mlp::from_params(&sizes, &activations, params)?)
}

/// The header's `__metadata__` strings and every tensor, by name in header order.
fn read_tensors(bytes: &[u8]) -> Result<(Map<String, Value>, Params), SafetensorsError> {
    let Some((length, rest)) = bytes.split_first_chunk::<8>() else {
        return Err(SafetensorsError::TooShort {
            length: bytes.len(),
        });
    };
    let declared = u64::from_le_bytes(*length);
    let header_length = usize::try_from(declared)
        .ok()
        .filter(|&length| length <= rest.len())
        .ok_or(SafetensorsError::HeaderLength {
            declared,
            available: rest.len(),
        })?;
    let (header, data) = rest.split_at(header_length);
    let header: Value = std::str::from_utf8(header)
        .map_err(|error| error.to_string())
        .and_then(|text| serde_json::from_str(text).map_err(|error| error.to_string()))
        .map_err(|message| SafetensorsError::Header { message })?;
    let Value::Object(entries) = header else {
        return Err(SafetensorsError::Header {
            message: "the header is not an object".to_string(),
        });
    };
    let mut metadata = Map::new();
    let mut params = Params::new();
    let mut ranges = Vec::new();
    for (name, entry) in &entries {
        if name == METADATA {
            metadata = object(entry, METADATA)?.clone();
            continue;
        }
        let (tensor, offsets) = read_tensor(name, object(entry, name)?, data)?;
        ranges.push(offsets);
        params.insert(name.clone(), tensor);
    }
    ranges.sort_unstable();
    let mut covered = 0;
    for [begin, end] in ranges {
        if begin != covered {
            return Err(SafetensorsError::Layout { at: covered });
        }
        covered = end;
    }
    if covered != data.len() as u64 {
        return Err(SafetensorsError::Layout { at: covered });
    }
    Ok((metadata, params))
}

/// One tensor's values from its header entry, and its byte range.
fn read_tensor(
    name: &str,
    entry: &Map<String, Value>,
    data: &[u8],
) -> Result<(Tensor, [u64; 2]), SafetensorsError> {
    let field = |key: &str, expected| -> Result<&Value, SafetensorsError> {
        entry.get(key).ok_or_else(|| SafetensorsError::Field {
            field: format!("{name}.{key}"),
            expected,
        })
    };
    let dtype = field("dtype", "a string")?
        .as_str()
        .ok_or_else(|| wrong(name, "dtype", "a string"))?;
    let shape = whole_numbers(field("shape", "an array of sizes")?)
        .ok_or_else(|| wrong(name, "shape", "an array of sizes"))?;
    let offsets = whole_numbers(field("data_offsets", "two byte offsets")?)
        .and_then(|offsets| <[u64; 2]>::try_from(offsets).ok())
        .ok_or_else(|| wrong(name, "data_offsets", "two byte offsets"))?;
    let width: u128 = match dtype {
        "F64" => 8,
        "F32" => 4,
        _ => {
            return Err(SafetensorsError::Dtype {
                name: name.to_string(),
                dtype: dtype.to_string(),
            });
        }
    };
    let numel = shape
        .iter()
        .try_fold(1u128, |product, &dim| product.checked_mul(u128::from(dim)));
    let expected_bytes = numel.and_then(|count| count.checked_mul(width));
    let [begin, end] = offsets;
    let fits = expected_bytes.is_some_and(|bytes| {
        begin <= end && u128::from(end - begin) == bytes && end <= data.len() as u64
    });
    if !fits {
        return Err(SafetensorsError::Range {
            name: name.to_string(),
            offsets,
            expected_bytes: expected_bytes.unwrap_or(u128::MAX),
            data_bytes: data.len(),
        });
    }
    // The range lies within `data`, so every size below fits a usize.
    let raw = &data[begin as usize..end as usize];
    let values: Vec<f64> = if width == 8 {
        raw.chunks_exact(8)
            .map(|chunk| f64::from_le_bytes(chunk.try_into().expect("8-byte chunk")))
            .collect()
    } else {
        raw.chunks_exact(4)
            .map(|chunk| f64::from(f32::from_le_bytes(chunk.try_into().expect("4-byte chunk"))))
            .collect()
    };
    let dims: Vec<usize> = shape.iter().map(|&dim| dim as usize).collect();
    if dims.len() > autograd::MAX_RANK {
        return Err(wrong(name, "shape", "a shape of rank 2 or less"));
    }
    Ok((Tensor::from_vec(values, dims), offsets))
}

fn wrong(name: &str, key: &str, expected: &'static str) -> SafetensorsError {
    SafetensorsError::Field {
        field: format!("{name}.{key}"),
        expected,
    }
}

fn object<'v>(value: &'v Value, field: &str) -> Result<&'v Map<String, Value>, SafetensorsError> {
    value.as_object().ok_or_else(|| SafetensorsError::Field {
        field: field.to_string(),
        expected: "an object",
    })
}

fn whole_numbers(value: &Value) -> Option<Vec<u64>> {
    value.as_array()?.iter().map(Value::as_u64).collect()
}

/// `"2,3,2"` as layer sizes.
fn parse_sizes(value: &Value) -> Result<Vec<usize>, SafetensorsError> {
    let bad = || SafetensorsError::Field {
        field: format!("{METADATA}.sizes"),
        expected: "a string of comma-separated layer sizes",
    };
    let text = value.as_str().ok_or_else(bad)?;
    text.split(',')
        .map(|size| size.trim().parse::<usize>().map_err(|_| bad()))
        .collect()
}

/// `"tanh,relu"` as activations (empty for a model without hidden layers).
fn parse_activations(value: &Value) -> Result<Vec<Activation>, SafetensorsError> {
    let bad = || SafetensorsError::Field {
        field: format!("{METADATA}.activations"),
        expected: "a string of comma-separated activation names",
    };
    let text = value.as_str().ok_or_else(bad)?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|name| name.trim().parse::<Activation>().map_err(|_| bad()))
        .collect()
}

/// Layer sizes read off the weights `W1, W2, ...` (`[in, out]` each): `[in₁, out₁, out₂, ...]`.
/// Shapes that do not chain are left for [`Mlp::from_params`] to report.
fn sizes_from_weights(params: &Params) -> Vec<usize> {
    let mut sizes = Vec::new();
    for layer in 1.. {
        let Some(weights) = params.get(&weight_name(layer)) else {
            break;
        };
        let dims = weights.dims();
        if sizes.is_empty() {
            sizes.push(dims.first().copied().unwrap_or(0));
        }
        sizes.push(dims.get(1).copied().unwrap_or(0));
    }
    sizes
}
