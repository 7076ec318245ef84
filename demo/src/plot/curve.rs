//! Line plots of functions of one variable (activations and their slopes, the loss over passes),
//! on a linear or a logarithmic vertical axis.

use std::ops::Range;
use std::path::Path;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::FIGURE_SIZE;
use super::canvas::{Area, DrawResult, FONT_FAMILY, px, render_png};
use crate::error::Result;

/// Labels and axes of a line plot.
pub struct LineLabels<'a> {
    /// The figure's title.
    pub title: &'a str,
    /// The horizontal axis's name.
    pub x: &'a str,
    /// The vertical axis's name.
    pub y: &'a str,
    /// Whether the vertical axis is logarithmic (for a loss that falls by orders of magnitude);
    /// points at or below zero are then left out.
    pub log_y: bool,
}

/// One named curve: its points in order of x.
pub struct Series<'a> {
    /// The name in the legend (none is drawn for a single unnamed series).
    pub name: &'a str,
    /// The points.
    pub points: &'a [(f64, f64)],
}

const SERIES_COLOURS: [RGBColor; 4] = [
    RGBColor(54, 104, 176),
    RGBColor(200, 40, 64),
    RGBColor(58, 150, 74),
    RGBColor(232, 142, 32),
];

/// Writes the curves to `path`, axes fitted to their points, with a legend when any is named.
///
/// # Panics
/// If there is no point to draw (on a log axis: no positive one).
pub fn line_figure(path: &Path, series: &[Series], labels: &LineLabels) -> Result<()> {
    let kept = |&&(_, y): &&(f64, f64)| !labels.log_y || y > 0.0;
    let all = || {
        series
            .iter()
            .flat_map(|curve| curve.points.iter().filter(kept))
    };
    assert!(all().next().is_some(), "line_figure: no points to draw");
    let (x_low, x_high) = bounds(all().map(|point| point.0));
    let (y_low, y_high) = bounds(all().map(|point| point.1));
    render_png(path, FIGURE_SIZE, |area| {
        if labels.log_y {
            // Whole decades, so that the axis has ticks at both ends: plotters labels a log axis
            // from its first power of ten upwards, which rounding in ln(10⁻ᵏ)/ln(10) can skip
            // unless the axis starts a little below it.
            let bottom = 10f64.powf(y_low.log10().floor()) * 0.99;
            let y = bottom..10f64.powf(y_high.log10().ceil());
            draw(area, series, labels, x_low..x_high, y.log_scale())
        } else {
            let margin = (y_high - y_low) * 0.05;
            draw(
                area,
                series,
                labels,
                x_low..x_high,
                (y_low - margin)..(y_high + margin),
            )
        }
    })
}

/// Draws the chart with the vertical axis `y` (a linear or a logarithmic range).
fn draw<Y>(area: &Area, series: &[Series], labels: &LineLabels, x: Range<f64>, y: Y) -> DrawResult
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .caption(labels.title, (FONT_FAMILY, px(18)))
        .margin(px(12))
        .x_label_area_size(px(36))
        .y_label_area_size(px(56))
        .build_cartesian_2d(x, y)?;
    let x_format = |x: &f64| tidy(*x);
    let y_format = |y: &f64| {
        if labels.log_y {
            significant(*y)
        } else {
            tidy(*y)
        }
    };
    chart
        .configure_mesh()
        .y_labels(if labels.log_y { 20 } else { 10 })
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(labels.x)
        .y_desc(labels.y)
        .label_style((FONT_FAMILY, px(12)))
        .axis_desc_style((FONT_FAMILY, px(14)))
        .draw()?;
    for (index, curve) in series.iter().enumerate() {
        let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
        let points = curve
            .points
            .iter()
            .copied()
            .filter(|&(_, y)| !labels.log_y || y > 0.0);
        let drawn = chart.draw_series(LineSeries::new(points, colour.stroke_width(px(2))))?;
        if !curve.name.is_empty() {
            drawn.label(curve.name).legend(move |(x, y)| {
                PathElement::new([(x, y), (x + px(16) as i32, y)], colour.stroke_width(px(2)))
            });
        }
    }
    if series.iter().any(|curve| !curve.name.is_empty()) {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FONT_FAMILY, px(13)))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .draw()?;
    }
    Ok(())
}

/// A tick label on a log axis: one significant digit (`0.03`, `200`), in exponent form outside
/// `[0.001, 10⁶)`.
fn significant(value: f64) -> String {
    if !(1e-3..1e6).contains(&value.abs()) {
        return format!("{value:.0e}");
    }
    let decimals = (-value.abs().log10().floor()).max(0.0) as usize;
    format!("{value:.decimals$}")
}

/// A tick label without floating-point noise: at most four decimals, no trailing zeros.
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
    } else if low > 0.0 {
        (low / 2.0, high * 2.0)
    } else {
        (low - 0.5, high + 0.5)
    }
}
