//! Data points on labelled axes: the moons scatter plot, and the layer every boundary figure draws on top.

use std::ops::Range;
use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::FIGURE_SIZE;
use super::canvas::{Area, DrawResult, FONT_FAMILY, render_png};
use super::palette::point_colour;
use crate::data::LabeledData;
use crate::error::Result;

/// A chart with data coordinates on both axes.
pub type PlaneChart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The region a figure of `data` shows: the points' bounding box widened by 0.5 on every side.
pub fn data_extent(data: &LabeledData) -> (Range<f64>, Range<f64>) {
    let column = |index: usize| {
        let values = (0..data.labels.len()).map(move |row| data.features.row(row)[index]);
        let low = values.clone().fold(f64::INFINITY, f64::min);
        let high = values.fold(f64::NEG_INFINITY, f64::max);
        (low - 0.5)..(high + 0.5)
    };
    (column(0), column(1))
}

/// Builds a titled chart over `data`'s extent with axes named after its feature columns.
pub fn plane_chart<'a, 'b>(
    area: &'a Area<'b>,
    data: &LabeledData,
    title: &str,
    title_size: u32,
) -> std::result::Result<PlaneChart<'a, 'b>, Box<dyn std::error::Error>> {
    let (x_range, y_range) = data_extent(data);
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT_FAMILY, title_size))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(x_range, y_range)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(data.feature_names[0].as_str())
        .y_desc(data.feature_names[1].as_str())
        .label_style((FONT_FAMILY, 12))
        .axis_desc_style((FONT_FAMILY, 14))
        .draw()?;
    Ok(chart)
}

/// Draws each point as a disc in its class colour with a dark outline.
pub fn draw_points(chart: &mut PlaneChart, data: &LabeledData, radius: u32) -> DrawResult {
    let points = || {
        data.labels.iter().enumerate().map(|(row, &label)| {
            (
                (data.features.row(row)[0], data.features.row(row)[1]),
                label,
            )
        })
    };
    chart.draw_series(
        points().map(|(point, label)| Circle::new(point, radius, point_colour(label).filled())),
    )?;
    let outline = RGBColor(30, 30, 30).stroke_width(1);
    chart.draw_series(points().map(|(point, _)| Circle::new(point, radius, outline)))?;
    Ok(())
}

/// Writes a scatter plot of two-feature `data`, coloured by class, to `path`.
///
/// # Panics
/// If `data` does not have exactly two features (callers check first).
pub fn scatter_figure(path: &Path, data: &LabeledData, title: &str) -> Result<()> {
    assert_eq!(data.feature_count(), 2, "scatter_figure: needs 2 features");
    render_png(path, FIGURE_SIZE, |area| {
        let mut chart = plane_chart(area, data, title, 18)?;
        draw_points(&mut chart, data, 4)
    })
}
