//! The text form of layers and input shapes: `"conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10"`.

use super::Layer;
use super::error::ArchError;
use crate::activation::Activation;
use std::fmt;

/// The layers of a comma-separated description, in order (see the [module table](super) for
/// each layer's words). Words are separated by spaces; case matters not.
///
/// ```
/// use nn::layers::{Layer, parse::parse_layers};
/// let layers = parse_layers("conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10").unwrap();
/// assert_eq!(layers.len(), 5);
/// assert_eq!(layers[4], Layer::Dense { out_features: 10 });
/// let error = parse_layers("conv 8 3x3, maxpool two").unwrap_err();
/// assert_eq!(error.to_string(), r#"layer 2 ("maxpool two"): "two" is not a whole number"#);
/// ```
pub fn parse_layers(text: &str) -> Result<Vec<Layer>, ArchError> {
    if text.trim().is_empty() {
        return Err(ArchError::Empty);
    }
    text.split(',')
        .enumerate()
        .map(|(index, part)| {
            parse_layer(part).map_err(|problem| ArchError::Syntax {
                position: index + 1,
                layer: part.trim().to_string(),
                problem,
            })
        })
        .collect()
}

/// The per-example input shape `F` (features) or `CxHxW` (an image of `C` channels).
///
/// ```
/// use nn::layers::parse::parse_input_shape;
/// assert_eq!(parse_input_shape("1x8x8"), Ok(vec![1, 8, 8]));
/// assert_eq!(parse_input_shape("64"), Ok(vec![64]));
/// assert!(parse_input_shape("8x8").is_err());
/// ```
pub fn parse_input_shape(text: &str) -> Result<Vec<usize>, ArchError> {
    let error = || ArchError::Input {
        text: text.to_string(),
    };
    let dims: Vec<usize> = text
        .trim()
        .split(['x', 'X'])
        .map(|part| part.trim().parse::<usize>().ok().filter(|&size| size > 0))
        .collect::<Option<_>>()
        .ok_or_else(error)?;
    if dims.len() == 1 || dims.len() == 3 {
        Ok(dims)
    } else {
        Err(error())
    }
}

fn parse_layer(text: &str) -> Result<Layer, String> {
    let lower = text.trim().to_ascii_lowercase();
    let mut words = lower.split_whitespace();
    let Some(keyword) = words.next() else {
        return Err("empty layer (two commas in a row?)".to_string());
    };
    let args: Vec<&str> = words.collect();
    let layer = match keyword {
        "conv" => {
            let (out_channels, rest) = positional(&args, "conv", "output channels")?;
            let (kernel, rest) = match rest.split_first() {
                Some((kernel, rest)) => (kernel_size(kernel)?, rest),
                None => return Err(usage("conv")),
            };
            let options = options(rest, &["stride", "pad", "dilation"], "conv")?;
            Layer::Conv2d {
                out_channels: positive(out_channels)?,
                kernel,
                stride: options[0].unwrap_or(1),
                padding: options[1].unwrap_or(0),
                dilation: options[2].unwrap_or(1),
            }
        }
        "maxpool" | "avgpool" => {
            let (kernel, rest) = positional(&args, keyword, "kernel size")?;
            let kernel = positive(kernel)?;
            let options = options(rest, &["stride", "pad"], keyword)?;
            let (stride, padding) = (options[0].unwrap_or(kernel), options[1].unwrap_or(0));
            if keyword == "maxpool" {
                Layer::MaxPool2d {
                    kernel,
                    stride,
                    padding,
                }
            } else {
                Layer::AvgPool2d {
                    kernel,
                    stride,
                    padding,
                }
            }
        }
        "dense" => {
            let (out_features, rest) = positional(&args, "dense", "output count")?;
            no_more(rest, "dense")?;
            Layer::Dense {
                out_features: positive(out_features)?,
            }
        }
        "dropout" => match args[..] {
            [p] => {
                let p: f64 = p
                    .parse()
                    .map_err(|_| format!("{p:?} is not a probability"))?;
                if !(0.0..1.0).contains(&p) {
                    return Err(format!("dropout probability {p} is not in [0, 1)"));
                }
                Layer::Dropout { p }
            }
            _ => return Err(usage("dropout")),
        },
        "flatten" | "batchnorm" => {
            no_more(&args, keyword)?;
            if keyword == "flatten" {
                Layer::Flatten
            } else {
                Layer::BatchNorm
            }
        }
        other => match other.parse::<Activation>() {
            Ok(activation) => {
                no_more(&args, other)?;
                Layer::Activation(activation)
            }
            Err(_) => {
                return Err(format!(
                    "unknown layer {other:?} (expected conv, maxpool, avgpool, flatten, dense, \
                     relu, tanh, sigmoid, dropout or batchnorm)"
                ));
            }
        },
    };
    Ok(layer)
}

/// How each layer is written, for error messages.
fn usage(keyword: &str) -> String {
    let form = match keyword {
        "conv" => "conv CHANNELS KxK [stride S] [pad P] [dilation D]",
        "maxpool" => "maxpool K [stride S] [pad P]",
        "avgpool" => "avgpool K [stride S] [pad P]",
        "dense" => "dense OUTPUTS",
        "dropout" => "dropout P",
        _ => keyword,
    };
    format!("expected `{form}`")
}

/// The first argument as a whole number, and the rest.
fn positional<'a>(
    args: &'a [&'a str],
    keyword: &str,
    what: &str,
) -> Result<(usize, &'a [&'a str]), String> {
    match args.split_first() {
        Some((first, rest)) => Ok((whole(first)?, rest)),
        None => Err(format!("missing {what}: {}", usage(keyword))),
    }
}

fn whole(word: &str) -> Result<usize, String> {
    word.parse()
        .map_err(|_| format!("{word:?} is not a whole number"))
}

fn positive(value: usize) -> Result<usize, String> {
    if value == 0 {
        Err("a size of 0".to_string())
    } else {
        Ok(value)
    }
}

/// `3x3`, `3x5` or `3` (square).
fn kernel_size(word: &str) -> Result<[usize; 2], String> {
    let sizes: Vec<&str> = word.split('x').collect();
    let kernel = match sizes[..] {
        [size] => [whole(size)?; 2],
        [height, width] => [whole(height)?, whole(width)?],
        _ => return Err(format!("{word:?} is not a kernel size such as 3x3")),
    };
    if kernel.contains(&0) {
        return Err(format!("kernel {word} has a side of 0"));
    }
    Ok(kernel)
}

/// The values of `name value` pairs, one slot per known name, each at most once.
fn options(args: &[&str], names: &[&str], keyword: &str) -> Result<Vec<Option<usize>>, String> {
    let mut values = vec![None; names.len()];
    let mut pairs = args.chunks(2);
    for pair in &mut pairs {
        let &[name, value] = pair else {
            return Err(format!("{:?} needs a value: {}", pair[0], usage(keyword)));
        };
        let Some(slot) = names.iter().position(|&known| known == name) else {
            return Err(format!("unknown option {name:?}: {}", usage(keyword)));
        };
        if values[slot].replace(whole(value)?).is_some() {
            return Err(format!("{name} is given twice"));
        }
    }
    Ok(values)
}

fn no_more(args: &[&str], keyword: &str) -> Result<(), String> {
    match args.first() {
        None => Ok(()),
        Some(extra) => Err(format!("unexpected {extra:?}: {}", usage(keyword))),
    }
}

impl fmt::Display for Layer {
    /// The layer's text form, which [`parse_layers`] reads back to the same layer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Layer::Conv2d {
                out_channels,
                kernel,
                stride,
                padding,
                dilation,
            } => {
                write!(f, "conv {out_channels} {}x{}", kernel[0], kernel[1])?;
                if stride != 1 {
                    write!(f, " stride {stride}")?;
                }
                if padding != 0 {
                    write!(f, " pad {padding}")?;
                }
                if dilation != 1 {
                    write!(f, " dilation {dilation}")?;
                }
                Ok(())
            }
            Layer::MaxPool2d {
                kernel,
                stride,
                padding,
            }
            | Layer::AvgPool2d {
                kernel,
                stride,
                padding,
            } => {
                write!(f, "{} {kernel}", self.keyword())?;
                if stride != kernel {
                    write!(f, " stride {stride}")?;
                }
                if padding != 0 {
                    write!(f, " pad {padding}")?;
                }
                Ok(())
            }
            Layer::Dense { out_features } => write!(f, "dense {out_features}"),
            Layer::Dropout { p } => write!(f, "dropout {p}"),
            _ => f.write_str(self.keyword()),
        }
    }
}

/// The layers' text forms joined by `, `: a description [`parse_layers`] reads back.
pub fn layers_text(layers: &[Layer]) -> String {
    let parts: Vec<String> = layers.iter().map(Layer::to_string).collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse_layers(text).unwrap_err().to_string()
    }

    #[test]
    fn every_layer_parses_and_prints_back() {
        let text = "conv 8 3x3 pad 1, relu, maxpool 2, conv 4 3x5 stride 2 pad 1 dilation 2, \
                    avgpool 3 stride 1 pad 1, batchnorm, tanh, flatten, dropout 0.25, sigmoid, dense 10";
        let layers = parse_layers(text).unwrap();
        assert_eq!(
            layers[3],
            Layer::Conv2d {
                out_channels: 4,
                kernel: [3, 5],
                stride: 2,
                padding: 1,
                dilation: 2
            }
        );
        assert_eq!(
            layers[2],
            Layer::MaxPool2d {
                kernel: 2,
                stride: 2,
                padding: 0
            }
        );
        assert_eq!(layers[8], Layer::Dropout { p: 0.25 });
        assert_eq!(
            layers_text(&layers),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        assert_eq!(parse_layers(&layers_text(&layers)).unwrap(), layers);
        assert_eq!(
            parse_layers("CONV 2 3, Dense 3").unwrap()[0],
            Layer::Conv2d {
                out_channels: 2,
                kernel: [3, 3],
                stride: 1,
                padding: 0,
                dilation: 1
            }
        );
    }

    #[test]
    fn errors_name_the_layer_and_what_is_wrong() {
        assert_eq!(error(""), "the architecture lists no layer");
        assert_eq!(
            error("conv 8 3x3,, dense 2"),
            "layer 2 (\"\"): empty layer (two commas in a row?)"
        );
        assert_eq!(
            error("conv 8"),
            "layer 1 (\"conv 8\"): expected `conv CHANNELS KxK [stride S] [pad P] [dilation D]`"
        );
        assert_eq!(
            error("conv 8 3y3"),
            "layer 1 (\"conv 8 3y3\"): \"3y3\" is not a whole number"
        );
        assert_eq!(
            error("conv 8 3x0"),
            "layer 1 (\"conv 8 3x0\"): kernel 3x0 has a side of 0"
        );
        assert_eq!(
            error("relu, conv 8 3 pad"),
            "layer 2 (\"conv 8 3 pad\"): \"pad\" needs a value: expected `conv CHANNELS KxK [stride S] [pad P] [dilation D]`"
        );
        assert_eq!(
            error("maxpool 2 stride 1 stride 2"),
            "layer 1 (\"maxpool 2 stride 1 stride 2\"): stride is given twice"
        );
        assert_eq!(error("dense 0"), "layer 1 (\"dense 0\"): a size of 0");
        assert_eq!(
            error("dense 3 4"),
            "layer 1 (\"dense 3 4\"): unexpected \"4\": expected `dense OUTPUTS`"
        );
        assert_eq!(
            error("dropout 1"),
            "layer 1 (\"dropout 1\"): dropout probability 1 is not in [0, 1)"
        );
        assert!(
            error("dense 2, softmax")
                .starts_with("layer 2 (\"softmax\"): unknown layer \"softmax\"")
        );
        assert_eq!(
            error("maxpool 2 size 3"),
            "layer 1 (\"maxpool 2 size 3\"): unknown option \"size\": expected `maxpool K [stride S] [pad P]`"
        );
    }

    #[test]
    fn input_shapes_are_features_or_channels_by_height_by_width() {
        assert_eq!(parse_input_shape(" 3X32x32 "), Ok(vec![3, 32, 32]));
        for bad in ["", "8x8", "1x0x8", "1x8x8x8", "a"] {
            assert_eq!(
                parse_input_shape(bad),
                Err(ArchError::Input {
                    text: bad.to_string()
                })
            );
        }
    }
}
