//! A grid of test images, each with the class a model predicted; mistakes framed in red with the
//! true class.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::canvas::{FONT_FAMILY, render_png};
use super::pixels::{draw_cells, grey};
use crate::error::Result;
use crate::images::ImageSet;

/// Images per row of the grid.
const COLUMNS: usize = 10;
/// Rows of the grid (at most; fewer when there are fewer images).
const ROWS: usize = 4;
/// The side of the square each image is scaled into, in pixels.
const IMAGE_SIDE: i32 = 48;
/// Width and height of one grid cell: the image, and a line of text under it.
const CELL: (i32, i32) = (64, 72);
const MISTAKE: RGBColor = RGBColor(200, 30, 40);

/// Writes a grid of up to 40 of `images` with `predicted` (one class per image) to `path`:
/// every mistake first (up to half the grid), then correctly classified images, each in the
/// order of `images`. Several channels are drawn as their mean, in grey levels.
///
/// # Panics
/// If `predicted` does not hold one class per image.
pub fn predictions_figure(
    path: &Path,
    images: &ImageSet,
    predicted: &[usize],
    model: &str,
) -> Result<()> {
    assert_eq!(
        predicted.len(),
        images.len(),
        "predictions_figure: {} predictions for {} images",
        predicted.len(),
        images.len()
    );
    let shown = chosen(&images.labels, predicted, COLUMNS * ROWS);
    let mistakes = (0..images.len())
        .filter(|&n| predicted[n] != images.labels[n])
        .count();
    let rows = shown.len().div_ceil(COLUMNS).max(1);
    let size = (
        COLUMNS as u32 * CELL.0 as u32,
        rows as u32 * CELL.1 as u32 + 40,
    );
    let shape = images.shape;
    let plane = shape.height * shape.width;
    let grey_levels: Vec<Vec<f64>> = shown
        .iter()
        .map(|&n| {
            let image = images.image(n);
            (0..plane)
                .map(|at| {
                    let sum: f64 = (0..shape.channels).map(|c| image[c * plane + at]).sum();
                    sum / shape.channels as f64
                })
                .collect()
        })
        .collect();
    let (low, high) = grey_levels
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), &v| {
            (low.min(v), high.max(v))
        });
    let scale = (IMAGE_SIDE / shape.height.max(shape.width) as i32).max(1);
    let title = format!(
        "{model} on {} test images: {mistakes} mistake(s), in red with the true class",
        images.len()
    );
    render_png(path, size, |area| {
        let area = area.titled(&title, (FONT_FAMILY, 16))?;
        for (slot, (&n, levels)) in shown.iter().zip(&grey_levels).enumerate() {
            let left = (slot % COLUMNS) as i32 * CELL.0 + (CELL.0 - scale * shape.width as i32) / 2;
            let top = (slot / COLUMNS) as i32 * CELL.1 + 6;
            let wrong = predicted[n] != images.labels[n];
            let frame = if wrong {
                MISTAKE.stroke_width(2)
            } else {
                RGBColor(200, 200, 200).stroke_width(1)
            };
            draw_cells(
                &area,
                (left, top),
                (shape.height, shape.width),
                scale,
                |at| grey(levels[at], low, high),
                frame,
            )?;
            let (text, colour) = if wrong {
                (
                    format!("{}, true {}", predicted[n], images.labels[n]),
                    MISTAKE,
                )
            } else {
                (predicted[n].to_string(), BLACK)
            };
            let style = TextStyle::from((FONT_FAMILY, 12).into_font())
                .color(&colour)
                .pos(Pos::new(HPos::Center, VPos::Top));
            let centre = (slot % COLUMNS) as i32 * CELL.0 + CELL.0 / 2;
            let below = top + scale * shape.height as i32 + 4;
            area.draw(&Text::new(text, (centre, below), style))?;
        }
        Ok(())
    })
}

/// The indices to show, at most `count`: mistakes first (at most half), then correct ones.
fn chosen(labels: &[usize], predicted: &[usize], count: usize) -> Vec<usize> {
    let (wrong, right): (Vec<usize>, Vec<usize>) =
        (0..labels.len()).partition(|&n| predicted[n] != labels[n]);
    let wrong_shown = wrong.len().min(count / 2);
    let mut shown: Vec<usize> = wrong[..wrong_shown].to_vec();
    shown.extend(right.iter().take(count - wrong_shown));
    if shown.len() < count {
        shown.extend(wrong[wrong_shown..].iter().take(count - shown.len()));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistakes_come_first_and_fill_at_most_half_unless_nothing_else_is_left() {
        let labels = [0, 1, 2, 3, 4, 5];
        assert_eq!(chosen(&labels, &[0, 0, 2, 0, 4, 0], 4), [1, 3, 0, 2]);
        assert_eq!(chosen(&labels, &[0, 1, 2, 3, 4, 5], 4), [0, 1, 2, 3]);
        assert_eq!(chosen(&labels, &[1, 0, 0, 0, 0, 0], 4), [0, 1, 2, 3]);
        assert_eq!(chosen(&labels, &[0, 1, 2, 3, 4, 5], 10), [0, 1, 2, 3, 4, 5]);
    }
}
