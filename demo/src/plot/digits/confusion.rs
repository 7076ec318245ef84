//! A confusion matrix as a grid of shaded, counted cells: true class down, predicted across.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::canvas::{FONT_FAMILY, render_png};
use crate::error::Result;

/// The side of one cell in pixels.
const CELL: i32 = 40;
/// Room left of and above the grid for the class names and axis titles.
const MARGIN: (i32, i32) = (70, 90);

/// Writes `matrix` (`matrix[true][predicted]` counts, square) to `path`: each cell shaded by its
/// share of the true class's examples, with its count written in it.
///
/// # Panics
/// If `matrix` is not square.
pub fn confusion_figure(path: &Path, matrix: &[Vec<usize>], title: &str) -> Result<()> {
    let classes = matrix.len();
    assert!(
        matrix.iter().all(|row| row.len() == classes),
        "confusion_figure: the matrix is not square ({classes} rows)"
    );
    let side = classes as i32 * CELL;
    let size = (
        (MARGIN.0 + side + 30).max(420) as u32,
        (MARGIN.1 + side + 20) as u32,
    );
    render_png(path, size, |area| {
        let area = area.titled(title, (FONT_FAMILY, 16))?;
        let centred = |size: u32| {
            TextStyle::from((FONT_FAMILY, size).into_font())
                .pos(Pos::new(HPos::Center, VPos::Center))
        };
        let top = MARGIN.1 - 40;
        area.draw(&Text::new(
            "predicted class",
            (MARGIN.0 + side / 2, top - 34),
            centred(14),
        ))?;
        area.draw(&Text::new(
            "true",
            (MARGIN.0 / 2 - 8, top - 12),
            centred(14),
        ))?;
        for (truth, row) in matrix.iter().enumerate() {
            let total: usize = row.iter().sum();
            let y = top + truth as i32 * CELL;
            area.draw(&Text::new(
                truth.to_string(),
                (MARGIN.0 - 14, y + CELL / 2),
                centred(13),
            ))?;
            for (predicted, &count) in row.iter().enumerate() {
                let x = MARGIN.0 + predicted as i32 * CELL;
                let share = if total > 0 {
                    count as f64 / total as f64
                } else {
                    0.0
                };
                let fill = shade(share, truth == predicted);
                area.draw(&Rectangle::new(
                    [(x, y), (x + CELL, y + CELL)],
                    fill.filled(),
                ))?;
                area.draw(&Rectangle::new(
                    [(x, y), (x + CELL, y + CELL)],
                    RGBColor(220, 220, 220).stroke_width(1),
                ))?;
                if count > 0 {
                    let colour = if share > 0.5 { WHITE } else { BLACK };
                    area.draw(&Text::new(
                        count.to_string(),
                        (x + CELL / 2, y + CELL / 2),
                        centred(13).color(&colour),
                    ))?;
                }
            }
        }
        for predicted in 0..classes {
            area.draw(&Text::new(
                predicted.to_string(),
                (MARGIN.0 + predicted as i32 * CELL + CELL / 2, top - 12),
                centred(13),
            ))?;
        }
        Ok(())
    })
}

/// Blue for the diagonal (right), red off it (wrong), darker for a larger share of the row.
fn shade(share: f64, diagonal: bool) -> RGBColor {
    let full = if diagonal {
        (33.0, 102.0, 172.0)
    } else {
        (200.0, 30.0, 40.0)
    };
    // Off the diagonal even a single mistake should show, so small shares are lifted.
    let strength = if diagonal {
        share
    } else if share > 0.0 {
        (0.25 + share).min(1.0)
    } else {
        0.0
    };
    let mix = |channel: f64| (255.0 + (channel - 255.0) * strength).round() as u8;
    RGBColor(mix(full.0), mix(full.1), mix(full.2))
}
