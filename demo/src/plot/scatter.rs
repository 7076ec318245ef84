//! Data points on labelled axes: the moons scatter plot, and the layer every boundary figure draws on top.

use std::ops::Range;
use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::FIGURE_SIZE;
use super::canvas::{Area, DrawResult, FONT_FAMILY, px, render_png};
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
        .caption(title, (FONT_FAMILY, px(title_size)))
        .margin(px(8))
        .x_label_area_size(px(36))
        .y_label_area_size(px(44))
        .build_cartesian_2d(x_range, y_range)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(data.feature_names[0].as_str())
        .y_desc(data.feature_names[1].as_str())
        .label_style((FONT_FAMILY, px(12)))
        .axis_desc_style((FONT_FAMILY, px(14)))
        .draw()?;
    Ok(chart)
}

/// Draws each point in its class colour with a dark outline: a disc for a training row, a square
/// for a row in `held_out` (indices of rows, which the model did not train on).
pub fn draw_points(
    chart: &mut PlaneChart,
    data: &LabeledData,
    radius: u32,
    held_out: &[usize],
) -> DrawResult {
    let mut is_held_out = vec![false; data.labels.len()];
    for &row in held_out {
        is_held_out[row] = true;
    }
    let radius = px(radius);
    let side = radius as i32;
    let outline = RGBColor(30, 30, 30).stroke_width(px(1));
    let points = data.labels.iter().enumerate().map(|(row, &label)| {
        let point = (data.features.row(row)[0], data.features.row(row)[1]);
        (point, label, is_held_out[row])
    });
    for (point, label, held) in points {
        if held {
            let corners = [(-side, -side), (side, side)];
            chart.draw_series(std::iter::once(
                EmptyElement::at(point)
                    + Rectangle::new(corners, point_colour(label).filled())
                    + Rectangle::new(corners, outline),
            ))?;
        } else {
            chart.draw_series(std::iter::once(
                EmptyElement::at(point)
                    + Circle::new((0, 0), radius, point_colour(label).filled())
                    + Circle::new((0, 0), radius, outline),
            ))?;
        }
    }
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
        draw_points(&mut chart, data, 4, &[])
    })
}
