//! A laid-out graph (boxes, text, edges) drawn as a PNG, for `demo graph --out graph.png`.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{FONT_FAMILY, px, render_png};
use crate::error::Result;
use crate::graph_layout::svg::NodeLabel;
use crate::graph_layout::{Layout, Size};

/// Draws `labels` in boxes of `sizes` where `layout` puts them, with an edge along every route,
/// and writes the picture to `path` as a PNG.
pub fn graph_png(path: &Path, labels: &[NodeLabel], sizes: &[Size], layout: &Layout) -> Result<()> {
    let size = (layout.width.ceil() as u32, layout.height.ceil() as u32);
    // Layout units are the figure's pixels; the canvas is supersampled.
    let scale = px(1) as f64;
    let point = move |x: f64, y: f64| ((scale * x) as i32, (scale * y) as i32);
    render_png(path, size, |area| {
        let edge_style = RGBColor(85, 85, 85).stroke_width(px(1));
        for route in &layout.routes {
            let points: Vec<(i32, i32)> = route.iter().map(|p| point(p.x, p.y)).collect();
            area.draw(&PathElement::new(points.clone(), edge_style))?;
            if let [.., before, tip] = points.as_slice() {
                area.draw(&arrow_head(*before, *tip))?;
            }
        }
        for ((label, node), centre) in labels.iter().zip(sizes).zip(&layout.centres) {
            let corner = point(centre.x - node.width / 2.0, centre.y - node.height / 2.0);
            let far = point(centre.x + node.width / 2.0, centre.y + node.height / 2.0);
            let fill = hex_colour(label.kind.fill());
            area.draw(&Rectangle::new([corner, far], fill.filled()))?;
            area.draw(&Rectangle::new(
                [corner, far],
                RGBColor(51, 51, 51).stroke_width(px(1)),
            ))?;
            let line_height = (node.height - 8.0) / label.lines.len().max(1) as f64;
            for (row, line) in label.lines.iter().enumerate() {
                let style = TextStyle::from((FONT_FAMILY, px(11)).into_font())
                    .pos(Pos::new(HPos::Center, VPos::Center))
                    .color(&BLACK);
                let y = centre.y - node.height / 2.0 + 4.0 + (row as f64 + 0.5) * line_height;
                area.draw(&Text::new(line.clone(), point(centre.x, y), style))?;
            }
        }
        Ok(())
    })
}

/// A filled triangle at `tip`, pointing along the segment from `before`.
fn arrow_head(before: (i32, i32), tip: (i32, i32)) -> Polygon<(i32, i32)> {
    let (dx, dy) = ((tip.0 - before.0) as f64, (tip.1 - before.1) as f64);
    let length = dx.hypot(dy).max(1e-9);
    let (ux, uy) = (dx / length, dy / length);
    let (long, wide) = (px(7) as f64, px(3) as f64);
    let base = (tip.0 as f64 - ux * long, tip.1 as f64 - uy * long);
    let corner = |side: f64| {
        (
            (base.0 - uy * wide * side) as i32,
            (base.1 + ux * wide * side) as i32,
        )
    };
    Polygon::new(
        vec![tip, corner(1.0), corner(-1.0)],
        RGBColor(85, 85, 85).filled(),
    )
}

/// `#rrggbb` as a colour (black when malformed; the callers pass constants).
fn hex_colour(hex: &str) -> RGBColor {
    let channel = |range: std::ops::Range<usize>| {
        hex.get(range)
            .and_then(|digits| u8::from_str_radix(digits, 16).ok())
            .unwrap_or(0)
    };
    RGBColor(channel(1..3), channel(3..5), channel(5..7))
}
