//! Image data sets in CSV form: one image per row, its pixels then its class label.
//!
//! A row holds `C·H·W` pixel values in `C, H, W` order (channel by channel, each row by row from the
//! top left), then an integer label: the layout of scikit-learn's digits file and of the usual
//! MNIST CSV exports. A header line is optional: a first line whose last field (the label's place)
//! is not a number is one, so that both `p0,...,p63,label` and pandas' `0,...,63,label` are skipped.

use std::fmt;
use std::fs;
use std::path::Path;
use std::str::FromStr;

use autograd::Tensor;

use crate::data::{LabeledData, MAX_LABEL, Table};
use crate::error::{Error, Result};

/// The size of one image: `channels × height × width`, written `CxHxW` (`1x8x8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageShape {
    /// Colour channels (1 for grey levels).
    pub channels: usize,
    /// Rows of pixels.
    pub height: usize,
    /// Pixels per row.
    pub width: usize,
}

impl ImageShape {
    /// The number of values per image, `C·H·W`.
    pub fn pixels(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// `[C, H, W]`, the shape of one image as a tensor.
    pub fn dims(&self) -> [usize; 3] {
        [self.channels, self.height, self.width]
    }
}

impl fmt::Display for ImageShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}x{}", self.channels, self.height, self.width)
    }
}

impl FromStr for ImageShape {
    type Err = String;

    /// Parses `CxHxW`, three positive integers (`1x8x8`, `3x32x32`).
    fn from_str(text: &str) -> std::result::Result<ImageShape, String> {
        let parts: Vec<&str> = text.trim().split(['x', 'X']).map(str::trim).collect();
        let sizes = match parts.as_slice() {
            [channels, height, width] => {
                [channels, height, width].map(|part| part.parse::<usize>())
            }
            _ => return Err(format!("{text:?} is not CxHxW (three sizes such as 1x8x8)")),
        };
        match sizes {
            [Ok(channels), Ok(height), Ok(width)] if channels * height * width > 0 => {
                Ok(ImageShape {
                    channels,
                    height,
                    width,
                })
            }
            [Ok(_), Ok(_), Ok(_)] => Err(format!("{text:?} has a size of 0")),
            _ => Err(format!(
                "{text:?} is not CxHxW (three positive integers such as 1x8x8)"
            )),
        }
    }
}

/// Labelled images, flattened: row `n` of `features` is image `n`'s `C·H·W` values.
#[derive(Debug, Clone)]
pub struct ImageSet {
    /// The size of every image.
    pub shape: ImageShape,
    /// The images, one per row: `[N, C·H·W]`.
    pub features: Tensor,
    /// One class label per image.
    pub labels: Vec<usize>,
}

impl ImageSet {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images (never true of a set that [`read`] or [`parse`] returned).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The number of classes the labels imply: the largest label plus one.
    pub fn class_count(&self) -> usize {
        self.labels.iter().max().map_or(0, |max| max + 1)
    }

    /// The pixels of image `index` as `[C, H, W]` values in row-major order.
    ///
    /// # Panics
    /// If `index` is out of range.
    pub fn image(&self, index: usize) -> &[f64] {
        self.features.row(index)
    }

    /// The images as the nn crate's training set (features flattened).
    pub fn to_dataset(&self) -> nn::Dataset {
        nn::Dataset::new(self.features.clone(), self.labels.clone())
    }

    /// The images as labelled rows of features named `pixel1`, `pixel2`, ... in row order.
    pub fn to_labeled(&self) -> LabeledData {
        LabeledData {
            feature_names: (1..=self.shape.pixels())
                .map(|index| format!("pixel{index}"))
                .collect(),
            features: self.features.clone(),
            labels: self.labels.clone(),
        }
    }

    /// The images at `indices`, in that order.
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn subset(&self, indices: &[usize]) -> ImageSet {
        let dataset = self.to_dataset().subset(indices);
        ImageSet {
            shape: self.shape,
            features: dataset.features,
            labels: dataset.labels,
        }
    }

    /// Splits off a test set of about `fraction` of the images exactly as the training loop's
    /// `holdout` does ([`nn::Dataset::split_holdout`]): `(train, test)`.
    ///
    /// # Panics
    /// If `fraction` is not strictly between 0 and 1 or either part would be empty.
    pub fn split(&self, fraction: f64, seed: u64) -> (ImageSet, ImageSet) {
        let (train, test) = self.to_dataset().split_holdout(fraction, seed);
        let wrap = |dataset: nn::Dataset| ImageSet {
            shape: self.shape,
            features: dataset.features,
            labels: dataset.labels,
        };
        (wrap(train), wrap(test))
    }

    /// The same images with every pixel multiplied by `factor` (to bring 0–16 or 0–255 into 0–1).
    pub fn scaled(&self, factor: f64) -> ImageSet {
        ImageSet {
            features: self.features.map(|value| value * factor),
            ..self.clone()
        }
    }
}

/// Reads labelled data from `path`: an image CSV of `image`-sized images when given, else a CSV
/// with a header, feature columns and the label last ([`Table`]).
pub fn read_labeled(path: &Path, image: Option<ImageShape>) -> Result<LabeledData> {
    match image {
        Some(shape) => Ok(read(path, shape)?.to_labeled()),
        None => Table::read(path)?.labeled(),
    }
}

/// [`read_labeled`], also requiring at least two distinct classes, as training does.
pub fn read_training_data(path: &Path, image: Option<ImageShape>) -> Result<LabeledData> {
    let data = match image {
        Some(_) => read_labeled(path, image)?,
        None => return Table::read(path)?.training_data(),
    };
    let first = data.labels[0];
    if data.labels.iter().all(|&label| label == first) {
        return Err(Error::SingleClass {
            path: path.to_path_buf(),
            label: first,
        });
    }
    Ok(data)
}

/// Reads the image CSV at `path`, each row `shape.pixels()` values and a label.
pub fn read(path: &Path, shape: ImageShape) -> Result<ImageSet> {
    let text = fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text, shape)
}

/// Parses the text of an image CSV as [`read`] does; `path` only names the file in errors.
///
/// Blank lines are skipped. Never panics: any text gives images or an [`Error`] that says what is
/// wrong and where (line and column, counting from 1).
pub fn parse(path: &Path, text: &str, shape: ImageShape) -> Result<ImageSet> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty())
        .peekable();
    let fields = shape.pixels() + 1;
    if let Some(&(line, first)) = lines.peek()
        && first
            .rsplit(',')
            .next()
            .is_some_and(|label| label.trim().parse::<f64>().is_err())
    {
        check_field_count(path, line, first.split(',').count(), shape)?;
        lines.next();
    }
    let mut values = Vec::new();
    let mut labels = Vec::new();
    for (line, text) in lines {
        let row: Vec<&str> = text.split(',').map(str::trim).collect();
        check_field_count(path, line, row.len(), shape)?;
        for (index, field) in row[..fields - 1].iter().enumerate() {
            values.push(pixel(path, line, index + 1, field)?);
        }
        labels.push(label(path, line, fields, row[fields - 1])?);
    }
    if labels.is_empty() {
        return Err(Error::EmptyData {
            path: path.to_path_buf(),
        });
    }
    Ok(ImageSet {
        shape,
        features: Tensor::from_vec(values, [labels.len(), shape.pixels()]),
        labels,
    })
}

fn check_field_count(path: &Path, line: usize, found: usize, shape: ImageShape) -> Result<()> {
    if found == shape.pixels() + 1 {
        Ok(())
    } else {
        Err(Error::PixelCount {
            path: path.to_path_buf(),
            line,
            found,
            shape,
        })
    }
}

fn pixel(path: &Path, line: usize, column: usize, text: &str) -> Result<f64> {
    let value: f64 = text.parse().map_err(|_| Error::BadNumber {
        path: path.to_path_buf(),
        line,
        column,
        text: text.to_string(),
    })?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::NotFinite {
            path: path.to_path_buf(),
            line,
            column,
            text: text.to_string(),
        })
    }
}

/// A class label: an integer from 0 to [`MAX_LABEL`], also written as an integral float (`3.0`).
fn label(path: &Path, line: usize, column: usize, text: &str) -> Result<usize> {
    let value = text.parse::<usize>().ok().or_else(|| {
        let value = text.parse::<f64>().ok()?;
        (value >= 0.0 && value.fract() == 0.0 && value <= MAX_LABEL as f64)
            .then_some(value as usize)
    });
    match value {
        Some(label) if label <= MAX_LABEL => Ok(label),
        _ => Err(Error::BadLabel {
            path: path.to_path_buf(),
            line,
            column,
            text: text.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_BY_TWO: ImageShape = ImageShape {
        channels: 1,
        height: 2,
        width: 2,
    };

    fn parsed(text: &str) -> Result<ImageSet> {
        parse(Path::new("images.csv"), text, TWO_BY_TWO)
    }

    #[test]
    fn shapes_parse_from_c_x_h_x_w() {
        let shape: ImageShape = "3x32X16".parse().unwrap();
        assert_eq!(shape.dims(), [3, 32, 16]);
        assert_eq!(shape.pixels(), 3 * 32 * 16);
        assert_eq!(shape.to_string(), "3x32x16");
        for bad in ["8x8", "1x8x8x1", "1x0x8", "ax8x8", "", "-1x8x8"] {
            assert!(bad.parse::<ImageShape>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn rows_without_a_header_are_pixels_then_a_label() {
        let set = parsed("0,1,2,3,4\n\n5,6,7,8.5,1.0\r\n").unwrap();
        assert_eq!(set.features.dims(), &[2, 4]);
        assert_eq!(set.image(1), &[5.0, 6.0, 7.0, 8.5]);
        assert_eq!(set.labels, vec![4, 1]);
        assert_eq!(set.class_count(), 5);
    }

    #[test]
    fn a_header_line_is_skipped() {
        for header in ["a,b,c,d,label", "0,1,2,3,label"] {
            let set = parsed(&format!("{header}\n0,1,2,3,4\n")).unwrap();
            assert_eq!(set.len(), 1);
            assert_eq!(set.image(0), &[0.0, 1.0, 2.0, 3.0]);
        }
    }

    #[test]
    fn a_row_of_the_wrong_length_names_the_line_and_the_shape() {
        let message = parsed("0,1,2,3,4\n0,1,2,3\n").unwrap_err().to_string();
        assert_eq!(
            message,
            "images.csv:2: 4 field(s), but --image 1x2x2 needs 5 (4 pixel values, then the label)"
        );
        let header = parsed("a,b,label\n0,1,2,3,4\n").unwrap_err().to_string();
        assert!(header.starts_with("images.csv:1: 3 field(s)"), "{header}");
    }

    #[test]
    fn bad_pixels_and_labels_name_line_and_column() {
        let message = parsed("0,1,x,3,4\n").unwrap_err().to_string();
        assert_eq!(message, "images.csv:1:3: \"x\" is not a number");
        let message = parsed("0,1,2,3,4\n0,inf,2,3,4\n").unwrap_err().to_string();
        assert_eq!(message, "images.csv:2:2: \"inf\" is not a finite number");
        for label in ["-1", "0.5", "ten", "10000"] {
            let error = parsed(&format!("0,1,2,3,4\n0,1,2,3,{label}\n")).unwrap_err();
            assert!(
                matches!(
                    error,
                    Error::BadLabel {
                        line: 2,
                        column: 5,
                        ..
                    }
                ),
                "{label}: {error}"
            );
        }
    }

    #[test]
    fn a_file_without_rows_is_empty_data() {
        for text in ["", "\n\n", "a,b,c,d,label\n"] {
            assert!(
                matches!(parsed(text).unwrap_err(), Error::EmptyData { .. }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn scaling_multiplies_every_pixel() {
        let set = parsed("0,16,8,4,1\n").unwrap().scaled(1.0 / 16.0);
        assert_eq!(set.image(0), &[0.0, 1.0, 0.5, 0.25]);
        assert_eq!(set.labels, vec![1]);
    }
}
