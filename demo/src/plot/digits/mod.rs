//! The figures of `demo digits`: test images with their predictions, first-layer filters, a
//! confusion matrix, and loss and accuracy per epoch.

mod confusion;
mod filters;
mod grid;
mod history;
mod pixels;

pub use confusion::confusion_figure;
pub use filters::filters_figure;
pub use grid::predictions_figure;
pub use history::{EpochCurves, history_figure};
