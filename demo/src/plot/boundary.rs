//! Decision-boundary figures: the plane filled with each point's predicted class, the data on top.

use std::ops::Range;
use std::path::Path;

use autograd::Tensor;
use plotters::prelude::*;

use super::FIGURE_SIZE;
use super::canvas::{Area, DrawResult, render_png, render_png_bytes, render_rgb};
use super::palette::region_colour;
use super::scatter::{data_extent, draw_points, plane_chart};
use crate::data::LabeledData;
use crate::error::Result;

/// A model seen as a function from points `[M, 2]` to one predicted class per point.
pub type Classifier<'a> = &'a dyn Fn(&Tensor) -> Vec<usize>;

/// Cells per axis of the grid on which the classifier is evaluated.
const GRID_CELLS: usize = 200;

/// Which way the rows of a grid of cells run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOrder {
    /// The first row at the bottom (`y_min`), as a chart's cells are drawn.
    BottomUp,
    /// The first row at the top (`y_max`), as an image's pixels are stored.
    TopDown,
}

/// The centres of the cells of a `resolution × resolution` grid over `x_range` and `y_range`,
/// as points `[resolution², 2]`: row by row in `rows` order, each row from `x_min` to `x_max`.
pub fn grid_centres(
    x_range: &Range<f64>,
    y_range: &Range<f64>,
    resolution: usize,
    rows: RowOrder,
) -> Tensor {
    let cell_width = (x_range.end - x_range.start) / resolution as f64;
    let cell_height = (y_range.end - y_range.start) / resolution as f64;
    let mut centres = Vec::with_capacity(2 * resolution * resolution);
    for row in 0..resolution {
        let y = match rows {
            RowOrder::BottomUp => y_range.start + (row as f64 + 0.5) * cell_height,
            RowOrder::TopDown => y_range.end - (row as f64 + 0.5) * cell_height,
        };
        for column in 0..resolution {
            centres.push(x_range.start + (column as f64 + 0.5) * cell_width);
            centres.push(y);
        }
    }
    Tensor::from_vec(centres, [resolution * resolution, 2])
}

/// One panel of a grid of decision boundaries.
pub struct BoundaryPanel<'a> {
    /// The panel's title.
    pub title: String,
    /// The model to draw.
    pub classify: Classifier<'a>,
}

/// Draws `classify`'s regions over `data`'s extent, then the points (rows in `held_out` as
/// squares), in one chart on `area`.
pub fn draw_boundary(
    area: &Area,
    data: &LabeledData,
    classify: Classifier,
    title: &str,
    title_size: u32,
    held_out: &[usize],
) -> DrawResult {
    let (x_range, y_range) = data_extent(data);
    let cell_width = (x_range.end - x_range.start) / GRID_CELLS as f64;
    let cell_height = (y_range.end - y_range.start) / GRID_CELLS as f64;
    let predictions = classify(&grid_centres(
        &x_range,
        &y_range,
        GRID_CELLS,
        RowOrder::BottomUp,
    ));
    assert_eq!(
        predictions.len(),
        GRID_CELLS * GRID_CELLS,
        "draw_boundary: the classifier returned {} predictions for {} points",
        predictions.len(),
        GRID_CELLS * GRID_CELLS
    );
    let mut chart = plane_chart(area, data, title, title_size)?;
    chart.draw_series(predictions.iter().enumerate().map(|(cell, &class)| {
        let (row, column) = (cell / GRID_CELLS, cell % GRID_CELLS);
        let x0 = x_range.start + column as f64 * cell_width;
        let y0 = y_range.start + row as f64 * cell_height;
        Rectangle::new(
            [(x0, y0), (x0 + cell_width, y0 + cell_height)],
            region_colour(class).filled(),
        )
    }))?;
    draw_points(&mut chart, data, 3, held_out)
}

/// Writes one decision-boundary figure of two-feature `data` to `path`, the rows in `held_out`
/// drawn as squares.
pub fn boundary_figure(
    path: &Path,
    data: &LabeledData,
    classify: Classifier,
    title: &str,
    held_out: &[usize],
) -> Result<()> {
    render_png(path, FIGURE_SIZE, |area| {
        draw_boundary(area, data, classify, title, 18, held_out)
    })
}

/// One decision-boundary figure of two-feature `data`, as PNG bytes (for a web page).
pub fn boundary_png(
    data: &LabeledData,
    classify: Classifier,
    title: &str,
    held_out: &[usize],
) -> Result<Vec<u8>> {
    render_png_bytes(Path::new("boundary.png"), FIGURE_SIZE, |area| {
        draw_boundary(area, data, classify, title, 18, held_out)
    })
}

/// Renders one decision-boundary frame into RGB pixels (for animations).
pub fn boundary_frame(
    path: &Path,
    data: &LabeledData,
    classify: Classifier,
    title: &str,
    held_out: &[usize],
) -> Result<Vec<u8>> {
    render_rgb(path, FIGURE_SIZE, |area| {
        draw_boundary(area, data, classify, title, 18, held_out)
    })
}

/// Writes a grid of decision-boundary panels, `columns` to a row, to `path`.
pub fn boundary_grid_figure(
    path: &Path,
    data: &LabeledData,
    panels: &[BoundaryPanel],
    columns: usize,
) -> Result<()> {
    let columns = columns.clamp(1, panels.len().max(1));
    let rows = panels.len().div_ceil(columns).max(1);
    let panel_size = (360u32, 300u32);
    let size = (panel_size.0 * columns as u32, panel_size.1 * rows as u32);
    render_png(path, size, |area| {
        for (cell, panel) in area.split_evenly((rows, columns)).iter().zip(panels) {
            draw_boundary(cell, data, panel.classify, &panel.title, 15, &[])?;
        }
        Ok(())
    })
}
