//! Line plots of a function of one variable: the sigmoid, and the loss over training passes.

use std::path::Path;

use plotters::prelude::*;

use super::FIGURE_SIZE;
use super::canvas::{FONT_FAMILY, render_png};
use crate::error::Result;

/// Labels of a line plot.
pub struct LineLabels<'a> {
    /// The figure's title.
    pub title: &'a str,
    /// The horizontal axis's name.
    pub x: &'a str,
    /// The vertical axis's name.
    pub y: &'a str,
}

const LINE_COLOUR: RGBColor = RGBColor(54, 104, 176);

/// Writes the curve through `points` (in order of x) to `path`, axes fitted to the points.
///
/// # Panics
/// If `points` is empty.
pub fn line_figure(path: &Path, points: &[(f64, f64)], labels: &LineLabels) -> Result<()> {
    assert!(!points.is_empty(), "line_figure: no points to draw");
    let (x_low, x_high) = bounds(points.iter().map(|point| point.0));
    let (y_low, y_high) = bounds(points.iter().map(|point| point.1));
    render_png(path, FIGURE_SIZE, |area| {
        let builder = &mut ChartBuilder::on(area);
        builder
            .caption(labels.title, (FONT_FAMILY, 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56);
        let x_format = |x: &f64| tidy(*x);
        let y_format = |y: &f64| tidy(*y);
        let margin = (y_high - y_low) * 0.05;
        let mut chart =
            builder.build_cartesian_2d(x_low..x_high, (y_low - margin)..(y_high + margin))?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .x_desc(labels.x)
            .y_desc(labels.y)
            .label_style((FONT_FAMILY, 12))
            .axis_desc_style((FONT_FAMILY, 14))
            .draw()?;
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            LINE_COLOUR.stroke_width(2),
        ))?;
        Ok(())
    })
}

/// A tick label without floating-point noise: at most four significant decimals, no trailing zeros.
fn tidy(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// The smallest and largest value, widened to a unit interval when they coincide.
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), value| {
        (low.min(value), high.max(value))
    });
    if high > low {
        (low, high)
    } else {
        (low - 0.5, high + 0.5)
    }
}
