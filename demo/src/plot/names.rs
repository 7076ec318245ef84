//! `demo names`' figures: the models' training curves, and a transformer's attention map.

use std::path::Path;

use autograd::Tensor;
use plotters::prelude::*;

use super::FIGURE_SIZE;
use super::canvas::{FONT_FAMILY, render_png};
use crate::error::Result;

const COLOURS: [RGBColor; 5] = [
    RGBColor(120, 120, 120),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(204, 70, 90),
];

/// The training loss per character against the step, one labelled line per model.
///
/// # Panics
/// If every curve is empty.
pub fn loss_curves(path: &Path, curves: &[(&str, &[(f64, f64)])]) -> Result<()> {
    let points = curves.iter().flat_map(|(_, c)| c.iter());
    let (x_high, y_low, y_high) = points.fold(
        (1.0f64, f64::INFINITY, f64::NEG_INFINITY),
        |(x, lo, hi), p| (x.max(p.0), lo.min(p.1), hi.max(p.1)),
    );
    assert!(y_low <= y_high, "loss_curves: no points to draw");
    render_png(path, FIGURE_SIZE, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption("names: training loss per character", (FONT_FAMILY, 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0.0..x_high, (y_low - 0.05)..(y_high + 0.05))?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("step")
            .y_desc("loss (nats)")
            .label_style((FONT_FAMILY, 12))
            .draw()?;
        for (i, (name, curve)) in curves.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            chart
                .draw_series(LineSeries::new(
                    curve.iter().copied(),
                    colour.stroke_width(2),
                ))?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font((FONT_FAMILY, 12))
            .draw()?;
        Ok(())
    })
}

/// The weights `[1, T, T]` as a grid: row `i` is the letter `letters[i]`, its cells how much it
/// attends to each earlier letter (darker is more; above the diagonal is always 0).
pub fn attention_map(path: &Path, letters: &[char], weights: &Tensor) -> Result<()> {
    let t = letters.len();
    render_png(path, (420, 420), |area| {
        let mut chart = ChartBuilder::on(area)
            .caption(
                "attention: which earlier letters each letter reads",
                (FONT_FAMILY, 14),
            )
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(28)
            .build_cartesian_2d(0..t, 0..t)?;
        let label = |i: &usize| letters.get(*i).map(char::to_string).unwrap_or_default();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(t)
            .y_labels(t)
            .x_label_formatter(&label)
            .y_label_formatter(&label)
            .label_style((FONT_FAMILY, 12))
            .draw()?;
        chart.draw_series(
            (0..t)
                .flat_map(|i| (0..t).map(move |j| (i, j)))
                .map(|(i, j)| {
                    let w = weights.get(&[0, i, j]).unwrap_or(0.0);
                    let shade = (255.0 * (1.0 - w)).round() as u8;
                    Rectangle::new(
                        [(j, i), (j + 1, i + 1)],
                        RGBColor(shade, shade, 255).filled(),
                    )
                }),
        )?;
        Ok(())
    })
}
