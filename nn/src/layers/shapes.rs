//! Shape inference: what each layer gives for the shape it receives, checked before any model
//! is built, so that a description that cannot work is one clear error rather than a panic.

use super::Layer;
use super::error::ArchError;

/// Each layer's output shape per example (`[F]` or `[C, H, W]`), in order, for examples of shape
/// `input`; the last must be `[classes]` with at least 2 classes.
///
/// ```
/// use nn::layers::{parse::parse_layers, shapes::infer_shapes};
/// let layers = parse_layers("conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10").unwrap();
/// let shapes = infer_shapes(&[1, 8, 8], &layers).unwrap();
/// assert_eq!(shapes, [vec![8, 8, 8], vec![8, 8, 8], vec![8, 4, 4], vec![128], vec![10]]);
/// let too_large = parse_layers("conv 4 9x9, flatten, dense 2").unwrap();
/// assert_eq!(
///     infer_shapes(&[1, 8, 8], &too_large).unwrap_err().to_string(),
///     r#"layer 1 ("conv 4 9x9") on input 1x8x8: the kernel spans 9 cells along the height but the padded input has 8"#
/// );
/// ```
pub fn infer_shapes(input: &[usize], layers: &[Layer]) -> Result<Vec<Vec<usize>>, ArchError> {
    if layers.is_empty() {
        return Err(ArchError::Empty);
    }
    let mut shapes: Vec<Vec<usize>> = Vec::with_capacity(layers.len());
    for (index, layer) in layers.iter().enumerate() {
        let incoming = shapes.last().map_or(input, Vec::as_slice);
        let output = output_shape(layer, incoming).map_err(|problem| ArchError::Shape {
            position: index + 1,
            layer: layer.to_string(),
            input: incoming.to_vec(),
            problem,
        })?;
        shapes.push(output);
    }
    match shapes.last().map(Vec::as_slice) {
        Some(&[classes]) if classes >= 2 => Ok(shapes),
        _ => Err(ArchError::Output {
            shape: shapes.last().cloned().unwrap_or_default(),
        }),
    }
}

/// Every parameter's name and shape, in store order (layer by layer; weight, then bias).
pub fn param_shapes(
    input: &[usize],
    layers: &[Layer],
) -> Result<Vec<(String, Vec<usize>)>, ArchError> {
    let shapes = infer_shapes(input, layers)?;
    let mut params = Vec::new();
    for (index, layer) in layers.iter().enumerate() {
        let incoming = if index == 0 {
            input
        } else {
            &shapes[index - 1]
        };
        let names = layer.param_names(index + 1);
        let dims: Vec<Vec<usize>> = match *layer {
            Layer::Conv2d {
                out_channels,
                kernel,
                ..
            } => vec![
                vec![out_channels, incoming[0], kernel[0], kernel[1]],
                vec![out_channels],
            ],
            Layer::Dense { out_features } => {
                vec![vec![incoming[0], out_features], vec![out_features]]
            }
            Layer::BatchNorm => vec![vec![incoming[0]]; 2],
            _ => Vec::new(),
        };
        params.extend(names.into_iter().zip(dims));
    }
    Ok(params)
}

/// What `layer` gives for `input`, or why it cannot take it.
fn output_shape(layer: &Layer, input: &[usize]) -> Result<Vec<usize>, String> {
    match *layer {
        Layer::Conv2d { out_channels, .. } => {
            let [_, h, w] = image(input, layer)?;
            let [oh, ow] = spatial(layer, h, w)?;
            Ok(vec![out_channels, oh, ow])
        }
        Layer::MaxPool2d {
            kernel, padding, ..
        }
        | Layer::AvgPool2d {
            kernel, padding, ..
        } => {
            let [c, h, w] = image(input, layer)?;
            if 2 * padding > kernel {
                return Err(format!(
                    "padding {padding} is above half the kernel {kernel}"
                ));
            }
            let [oh, ow] = spatial(layer, h, w)?;
            Ok(vec![c, oh, ow])
        }
        Layer::Flatten => Ok(vec![input.iter().product()]),
        Layer::Dense { out_features } => match input {
            [_] => Ok(vec![out_features]),
            _ => Err("a dense layer needs flat input (put `flatten` before it)".to_string()),
        },
        Layer::Dropout { p } if !(0.0..1.0).contains(&p) => {
            Err(format!("dropout probability {p} is not in [0, 1)"))
        }
        Layer::Activation(_) | Layer::Dropout { .. } | Layer::BatchNorm => Ok(input.to_vec()),
    }
}

fn image(input: &[usize], layer: &Layer) -> Result<[usize; 3], String> {
    match *input {
        [c, h, w] => Ok([c, h, w]),
        _ => Err(format!(
            "{} needs an image CxHxW (give the input shape as CxHxW, and put no flatten or dense before it)",
            layer.keyword()
        )),
    }
}

fn spatial(layer: &Layer, h: usize, w: usize) -> Result<[usize; 2], String> {
    let window = layer
        .window()
        .expect("convolution and pooling layers have a window");
    window.output_size(h, w).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::parse::parse_layers;

    fn shapes(input: &[usize], text: &str) -> Result<Vec<Vec<usize>>, String> {
        infer_shapes(input, &parse_layers(text).unwrap()).map_err(|error| error.to_string())
    }

    #[test]
    fn shapes_follow_each_layer() {
        assert_eq!(
            shapes(
                &[3, 9, 7],
                "conv 4 3x2 stride 2 pad 1 dilation 2, avgpool 2 stride 1, flatten, dense 2"
            )
            .unwrap(),
            // conv: ⌊(9 + 2 − 5) / 2⌋ + 1 = 4 rows, ⌊(7 + 2 − 3) / 2⌋ + 1 = 4 columns.
            [vec![4, 4, 4], vec![4, 3, 3], vec![36], vec![2]]
        );
        assert_eq!(
            shapes(&[5], "dense 4, batchnorm, relu, dropout 0.5, dense 3")
                .unwrap()
                .len(),
            5
        );
    }

    #[test]
    fn impossible_layers_are_one_clear_error() {
        assert_eq!(
            shapes(&[1, 8, 8], "conv 4 3x3 stride 0, flatten, dense 2").unwrap_err(),
            "layer 1 (\"conv 4 3x3 stride 0\") on input 1x8x8: stride is 0 along the height"
        );
        assert_eq!(
            shapes(
                &[1, 4, 4],
                "maxpool 2, maxpool 2, maxpool 2, flatten, dense 2"
            )
            .unwrap_err(),
            "layer 3 (\"maxpool 2\") on input 1x1x1: the kernel spans 2 cells along the height but the padded input has 1"
        );
        assert_eq!(
            shapes(&[1, 8, 8], "maxpool 2 pad 2, flatten, dense 2").unwrap_err(),
            "layer 1 (\"maxpool 2 pad 2\") on input 1x8x8: padding 2 is above half the kernel 2"
        );
        assert_eq!(
            shapes(&[1, 8, 8], "dense 10").unwrap_err(),
            "layer 1 (\"dense 10\") on input 1x8x8: a dense layer needs flat input (put `flatten` before it)"
        );
        assert!(
            shapes(&[64], "conv 2 3x3, flatten, dense 2")
                .unwrap_err()
                .starts_with("layer 1 (\"conv 2 3x3\") on input 64: conv needs an image CxHxW")
        );
        assert!(
            shapes(&[1, 8, 8], "conv 2 3x3")
                .unwrap_err()
                .starts_with("the last layer gives 2x6x6 per example")
        );
        assert!(
            shapes(&[4], "dense 1")
                .unwrap_err()
                .starts_with("the last layer gives 1 per example")
        );
        let layers = [Layer::Dropout { p: 1.5 }, Layer::Dense { out_features: 2 }];
        assert_eq!(
            infer_shapes(&[3], &layers).unwrap_err().to_string(),
            "layer 1 (\"dropout 1.5\") on input 3: dropout probability 1.5 is not in [0, 1)"
        );
    }

    #[test]
    fn parameters_are_named_by_layer_position_with_their_layouts() {
        let layers = parse_layers("conv 8 3x2, relu, batchnorm, flatten, dense 10").unwrap();
        let names: Vec<(String, Vec<usize>)> = param_shapes(&[2, 5, 5], &layers).unwrap();
        assert_eq!(
            names,
            [
                ("conv1.weight".to_string(), vec![8, 2, 3, 2]),
                ("conv1.bias".to_string(), vec![8]),
                ("bn3.gamma".to_string(), vec![8]),
                ("bn3.beta".to_string(), vec![8]),
                ("dense5.W".to_string(), vec![8 * 3 * 4, 10]),
                ("dense5.b".to_string(), vec![10]),
            ]
        );
    }
}
