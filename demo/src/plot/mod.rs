//! Figures as PNG (and one GIF), drawn with plotters into memory and written atomically.
//!
//! Text uses the DejaVu Sans font embedded in the binary, so no system font library is needed.

mod animation;
mod boundary;
mod canvas;
mod curve;
pub mod digits;
mod palette;
mod scatter;

pub use animation::Animation;
pub use boundary::{BoundaryPanel, boundary_figure, boundary_grid_figure};
pub use curve::{LineLabels, line_figure};
pub use scatter::scatter_figure;

/// Figure sizes in pixels: modest, so the default run stays fast.
pub const FIGURE_SIZE: (u32, u32) = (560, 420);
