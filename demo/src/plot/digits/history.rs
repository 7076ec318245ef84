//! Training curves of several models side by side: loss and accuracy per epoch, train and test.

use std::path::Path;

use plotters::prelude::*;

use super::super::canvas::{FONT_FAMILY, render_png};
use super::super::palette::point_colour;
use crate::error::Result;

/// One model's record, one entry per epoch from 0 (before training) to the last.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochCurves {
    /// The model's name, for the legend.
    pub model: String,
    /// Loss per example on the training set.
    pub train_loss: Vec<f64>,
    /// Loss per example on the test set.
    pub test_loss: Vec<f64>,
    /// Fraction of the training set classified correctly.
    pub train_accuracy: Vec<f64>,
    /// Fraction of the test set classified correctly.
    pub test_accuracy: Vec<f64>,
}

/// Writes two charts to `path`, loss (log scale) on the left and accuracy on the right, with a
/// colour per model: solid lines for the training set, dashed for the test set.
///
/// # Panics
/// If `curves` is empty or a model's four series differ in length.
pub fn history_figure(path: &Path, curves: &[EpochCurves]) -> Result<()> {
    assert!(!curves.is_empty(), "history_figure: no models to draw");
    for curve in curves {
        let epochs = curve.train_loss.len();
        assert!(
            [
                &curve.test_loss,
                &curve.train_accuracy,
                &curve.test_accuracy
            ]
            .iter()
            .all(|series| series.len() == epochs),
            "history_figure: {}'s series differ in length",
            curve.model
        );
    }
    let last_epoch = curves
        .iter()
        .map(|curve| curve.train_loss.len().saturating_sub(1))
        .max()
        .unwrap_or(0)
        .max(1);
    let losses = curves
        .iter()
        .flat_map(|curve| curve.train_loss.iter().chain(&curve.test_loss))
        .copied()
        .filter(|&loss| loss > 0.0 && loss.is_finite());
    let (low, high) = losses.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), loss| {
        (low.min(loss), high.max(loss))
    });
    let (low, high) = if low <= high {
        (low * 0.8, high * 1.25)
    } else {
        (0.01, 10.0)
    };
    render_png(path, (1000, 420), |area| {
        let panels = area.split_evenly((1, 2));
        let mut loss_chart = ChartBuilder::on(&panels[0])
            .caption("loss per example", (FONT_FAMILY, 16))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0..last_epoch, (low..high).log_scale())?;
        loss_chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .x_desc("epoch")
            .y_label_formatter(&|value| format!("{value:.3}"))
            .label_style((FONT_FAMILY, 12))
            .axis_desc_style((FONT_FAMILY, 14))
            .draw()?;
        let mut accuracy_chart = ChartBuilder::on(&panels[1])
            .caption("accuracy", (FONT_FAMILY, 16))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0..last_epoch, 0.0..1.02)?;
        accuracy_chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .x_desc("epoch")
            .label_style((FONT_FAMILY, 12))
            .axis_desc_style((FONT_FAMILY, 14))
            .draw()?;
        for (index, curve) in curves.iter().enumerate() {
            let colour = point_colour(index + 1);
            let solid = colour.stroke_width(2);
            let dashed = colour.stroke_width(2);
            let points = |series: &[f64]| -> Vec<(usize, f64)> {
                series.iter().copied().enumerate().collect()
            };
            let positive = |series: &[f64]| -> Vec<(usize, f64)> {
                points(series)
                    .into_iter()
                    .filter(|&(_, v)| v > 0.0)
                    .collect()
            };
            loss_chart
                .draw_series(LineSeries::new(positive(&curve.train_loss), solid))?
                .label(format!("{} train", curve.model))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], solid));
            loss_chart
                .draw_series(DashedLineSeries::new(
                    positive(&curve.test_loss),
                    6,
                    4,
                    dashed,
                ))?
                .label(format!("{} test", curve.model))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 6, y)], dashed));
            accuracy_chart.draw_series(LineSeries::new(points(&curve.train_accuracy), solid))?;
            accuracy_chart.draw_series(DashedLineSeries::new(
                points(&curve.test_accuracy),
                6,
                4,
                dashed,
            ))?;
        }
        loss_chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font((FONT_FAMILY, 11))
            .draw()?;
        Ok(())
    })
}
