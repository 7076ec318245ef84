//! Figures as PNG (and one GIF), drawn with plotters into memory and written atomically.
//!
//! Text uses the DejaVu Sans font embedded in the binary, so no system font library is needed.
//! Everything is drawn at twice the size and averaged down, so edges are antialiased.

mod animation;
mod boundary;
mod canvas;
mod curve;
pub mod digits;
mod frames;
mod graph;
pub mod names;
mod palette;
mod scatter;

pub use animation::Animation;
pub use boundary::{BoundaryPanel, boundary_figure, boundary_grid_figure};
pub use boundary::{RowOrder, boundary_png, grid_centres};
pub use canvas::SUPERSAMPLE;
pub use curve::{LineLabels, Series, line_figure};
pub use frames::frame_passes;
pub use graph::graph_png;
pub use scatter::{data_extent, scatter_figure};

/// Figure sizes in pixels: modest, so the default run stays fast.
pub const FIGURE_SIZE: (u32, u32) = (560, 420);
