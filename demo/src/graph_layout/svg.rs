//! Drawing a laid-out graph as SVG text: a box per node with its lines of text, an arrow per edge.

use std::fmt::Write;

use super::{Layout, Size, layered};

/// Text size in the drawing, and the width of one monospace character at that size.
const FONT_SIZE: f64 = 12.0;
const CHAR_WIDTH: f64 = 7.3;
const LINE_HEIGHT: f64 = 15.0;
const PADDING: f64 = 8.0;

/// What a node is, which decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// Data fed in (a constant leaf).
    Input,
    /// A trainable leaf.
    Parameter,
    /// Computed from other nodes.
    Op,
}

impl NodeKind {
    /// The box's fill colour.
    pub fn fill(self) -> &'static str {
        match self {
            NodeKind::Input => "#eeeeee",
            NodeKind::Parameter => "#c8e6c9",
            NodeKind::Op => "#ffffff",
        }
    }
}

/// A node as drawn: its lines of text (the first in bold) and its kind.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeLabel {
    pub lines: Vec<String>,
    pub kind: NodeKind,
}

impl NodeLabel {
    /// The box that holds the node's text.
    pub fn size(&self) -> Size {
        let longest = self.lines.iter().map(|line| line.chars().count()).max();
        Size {
            width: longest.unwrap_or(0) as f64 * CHAR_WIDTH + 2.0 * PADDING,
            height: self.lines.len().max(1) as f64 * LINE_HEIGHT + PADDING,
        }
    }
}

/// Lays out the graph and draws it: one `<g class="node">` per node, one `<path class="edge">`
/// per edge, in a standalone SVG document.
///
/// # Panics
/// As [`layered`]: an edge beyond the nodes, or a cycle.
#[track_caller]
pub fn render(labels: &[NodeLabel], edges: &[(usize, usize)]) -> String {
    let sizes: Vec<Size> = labels.iter().map(NodeLabel::size).collect();
    let layout = layered(&sizes, edges);
    draw(labels, &sizes, &layout)
}

/// Draws `labels` with `sizes` at the places `layout` gives them.
pub fn draw(labels: &[NodeLabel], sizes: &[Size], layout: &Layout) -> String {
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.1} {h:.1}\" font-family=\"monospace\" font-size=\"{FONT_SIZE}\">",
        w = layout.width,
        h = layout.height
    );
    svg.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" \
         fill=\"#555555\"/></marker></defs>\n",
    );
    let _ = writeln!(
        svg,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    for route in &layout.routes {
        let points: Vec<String> = route
            .iter()
            .map(|p| format!("{:.1},{:.1}", p.x, p.y))
            .collect();
        let _ = writeln!(
            svg,
            "<path class=\"edge\" d=\"M{}\" fill=\"none\" stroke=\"#555555\" \
             marker-end=\"url(#arrow)\"/>",
            points.join(" L")
        );
    }
    for (index, (label, size)) in labels.iter().zip(sizes).enumerate() {
        let centre = layout.centres[index];
        let (left, top) = (centre.x - size.width / 2.0, centre.y - size.height / 2.0);
        let _ = writeln!(
            svg,
            "<g class=\"node\" id=\"n{index}\"><rect x=\"{left:.1}\" y=\"{top:.1}\" \
             width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"{}\" stroke=\"#333333\"/>",
            size.width,
            size.height,
            label.kind.fill()
        );
        for (row, line) in label.lines.iter().enumerate() {
            let weight = if row == 0 {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\"{weight}>{}</text>",
                centre.x,
                top + PADDING / 2.0 + (row as f64 + 0.8) * LINE_HEIGHT,
                escape(line)
            );
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</svg>\n");
    svg
}

/// `text` with the characters XML gives meaning to replaced by entities.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            _ => escaped.push(c),
        }
    }
    escaped
}
