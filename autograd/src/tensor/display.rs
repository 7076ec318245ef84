//! Printing tensors the way numpy prints arrays: aligned columns, nested brackets, `...` when large.

use super::Tensor;
use std::fmt;

/// Above this many elements, only the first and last [`EDGE_ITEMS`] along each axis are printed.
const SUMMARY_THRESHOLD: usize = 1000;
/// How many items are kept at each end of an axis in a summarised tensor.
const EDGE_ITEMS: usize = 3;
/// Decimal places printed at most, as numpy's default precision.
const PRECISION: usize = 8;

impl fmt::Display for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summarise = self.len() > SUMMARY_THRESHOLD;
        let cells = NumberStyle::for_values(self.data()).format_all(self.data());
        let width = cells.iter().map(String::len).max().unwrap_or(0);
        let mut out = String::new();
        write_axis(&mut out, self.dims(), 0, &cells, width, summarise, 0);
        f.write_str(&out)
    }
}

impl fmt::Debug for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tensor({self}, shape={})", self.shape())
    }
}

/// Writes the sub-array starting at flat element `offset` whose dimensions are `dims`.
fn write_axis(
    out: &mut String,
    dims: &[usize],
    offset: usize,
    cells: &[String],
    width: usize,
    summarise: bool,
    depth: usize,
) {
    let Some((&len, rest)) = dims.split_first() else {
        out.push_str(&format!("{:>width$}", cells[offset]));
        return;
    };
    let stride: usize = rest.iter().product();
    out.push('[');
    let shown: Vec<Option<usize>> = if summarise && len > 2 * EDGE_ITEMS {
        (0..EDGE_ITEMS)
            .map(Some)
            .chain(std::iter::once(None))
            .chain((len - EDGE_ITEMS..len).map(Some))
            .collect()
    } else {
        (0..len).map(Some).collect()
    };
    for (position, item) in shown.iter().enumerate() {
        if position > 0 {
            if rest.is_empty() {
                out.push(' ');
            } else {
                out.push_str(&"\n".repeat(rest.len()));
                out.push_str(&" ".repeat(depth + 1));
            }
        }
        match item {
            Some(index) => write_axis(
                out,
                rest,
                offset + index * stride,
                cells,
                width,
                summarise,
                depth + 1,
            ),
            None => out.push_str("..."),
        }
    }
    out.push(']');
}

/// How numbers are written: numpy picks one style for the whole array.
enum NumberStyle {
    /// Fixed point, trailing zeros trimmed, decimal points aligned.
    Fixed,
    /// Scientific notation, for arrays that span many orders of magnitude.
    Scientific,
}

impl NumberStyle {
    fn for_values(values: &[f64]) -> NumberStyle {
        let magnitudes = values
            .iter()
            .map(|x| x.abs())
            .filter(|x| x.is_finite() && *x != 0.0);
        let (low, high) = magnitudes.fold((f64::INFINITY, 0.0_f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
        if high >= 1e8
            || (low < 1e-4 && high > 0.0)
            || (high > 0.0 && high / low > 1e3 && low < 1e-3)
        {
            NumberStyle::Scientific
        } else {
            NumberStyle::Fixed
        }
    }

    fn format_all(&self, values: &[f64]) -> Vec<String> {
        let trimmed: Vec<String> = match self {
            NumberStyle::Scientific => values.iter().map(|&x| scientific(x)).collect(),
            NumberStyle::Fixed => values.iter().map(|&x| fixed(x)).collect(),
        };
        let decimals = trimmed.iter().map(|s| decimals_of(s)).max().unwrap_or(0);
        trimmed
            .into_iter()
            .map(|s| pad_decimals(&s, decimals))
            .collect()
    }
}

/// `x` in numpy's scientific style: a trimmed mantissa and a signed two-digit exponent (`1.5e-09`).
fn scientific(x: f64) -> String {
    if !x.is_finite() {
        return fixed(x);
    }
    let text = format!("{x:.PRECISION$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!(
        "{}e{sign}{:02}",
        mantissa.trim_end_matches('0'),
        exponent.abs()
    )
}

/// Pads the decimals of `text` (the part after the point, up to any exponent) to `decimals` places:
/// with zeros before an exponent, with spaces after a plain number, as numpy aligns columns.
fn pad_decimals(text: &str, decimals: usize) -> String {
    let missing = decimals.saturating_sub(decimals_of(text));
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!("{mantissa}{}e{exponent}", "0".repeat(missing)),
        None => format!("{text}{}", " ".repeat(missing)),
    }
}

/// `x` with at most [`PRECISION`] decimals, trailing zeros dropped but the point kept (`2.`, `0.25`).
fn fixed(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let text = format!("{x:.PRECISION$}");
    let text = text.trim_end_matches('0');
    if text == "-0." {
        "-0.".into()
    } else {
        text.to_string()
    }
}

/// The number of digits after the point, not counting an exponent.
fn decimals_of(text: &str) -> usize {
    let mantissa = text.split_once('e').map_or(text, |(mantissa, _)| mantissa);
    mantissa
        .find('.')
        .map_or(0, |point| mantissa.len() - point - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_a_matrix_like_numpy() {
        let t = Tensor::from_rows(&[[1.0, 2.5], [-3.0, 4.25]]);
        assert_eq!(t.to_string(), "[[ 1.    2.5 ]\n [-3.    4.25]]");
    }

    #[test]
    fn prints_scalars_and_vectors() {
        assert_eq!(Tensor::scalar(2.0).to_string(), "2.");
        assert_eq!(
            Tensor::from_vec(vec![1.0, 2.0, 3.0], [3]).to_string(),
            "[1. 2. 3.]"
        );
        assert_eq!(
            format!("{:?}", Tensor::zeros([2])),
            "tensor([0. 0.], shape=[2])"
        );
    }

    #[test]
    fn summarises_large_tensors() {
        let t = Tensor::zeros([2000]);
        assert_eq!(t.to_string(), "[0. 0. 0. ... 0. 0. 0.]");
    }

    #[test]
    fn switches_to_scientific_for_wide_ranges() {
        let t = Tensor::from_vec(vec![1e-9, 1.0], [2]);
        assert_eq!(t.to_string(), "[1.e-09 1.e+00]");
        let t = Tensor::from_vec(vec![1.5e-9, 2.0], [2]);
        assert_eq!(t.to_string(), "[1.5e-09 2.0e+00]");
    }
}
