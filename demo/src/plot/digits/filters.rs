//! A convolution layer's filters as small signed heat maps.

use std::path::Path;

use autograd::Tensor;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::canvas::{FONT_FAMILY, render_png};
use super::pixels::{diverging, draw_cells};
use crate::error::Result;

/// The side of the square each filter is scaled into, in pixels.
const FILTER_SIDE: i32 = 96;
/// Width and height of one filter's cell: the map and its caption.
const CELL: (i32, i32) = (112, 132);
/// Filters per row.
const COLUMNS: usize = 4;

/// Writes the filters of a convolution weight `[C_out, C_in, kH, kW]` to `path`: one map per
/// output channel and input channel, red for positive and blue for negative weights, one colour
/// scale (±the largest magnitude) for all of them.
///
/// # Panics
/// If `weight` is not rank 4.
pub fn filters_figure(path: &Path, weight: &Tensor, title: &str) -> Result<()> {
    assert_eq!(
        weight.rank(),
        4,
        "filters_figure: weight {} is not [C_out, C_in, kH, kW]",
        weight.shape()
    );
    let dims = weight.dims();
    let (outputs, inputs, height, width) = (dims[0], dims[1], dims[2], dims[3]);
    let maps = outputs * inputs;
    let columns = COLUMNS.min(maps).max(1);
    let rows = maps.div_ceil(columns).max(1);
    let size = (
        (columns as i32 * CELL.0).max(420) as u32,
        (rows as i32 * CELL.1 + 40) as u32,
    );
    let limit = weight.data().iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let scale = (FILTER_SIDE / height.max(width) as i32).max(1);
    let plane = height * width;
    render_png(path, size, |area| {
        let area = area.titled(title, (FONT_FAMILY, 16))?;
        for map in 0..maps {
            let values = &weight.data()[map * plane..(map + 1) * plane];
            let left = (map % columns) as i32 * CELL.0 + (CELL.0 - scale * width as i32) / 2;
            let top = (map / columns) as i32 * CELL.1 + 8;
            draw_cells(
                &area,
                (left, top),
                (height, width),
                scale,
                |at| diverging(values[at], limit),
                RGBColor(160, 160, 160).stroke_width(1),
            )?;
            let caption = if inputs == 1 {
                format!("filter {}", map + 1)
            } else {
                format!("{} from {}", map / inputs + 1, map % inputs + 1)
            };
            let style = TextStyle::from((FONT_FAMILY, 12).into_font())
                .pos(Pos::new(HPos::Center, VPos::Top));
            let centre = (map % columns) as i32 * CELL.0 + CELL.0 / 2;
            area.draw(&Text::new(
                caption,
                (centre, top + scale * height as i32 + 5),
                style,
            ))?;
        }
        Ok(())
    })
}
