//! The training loop: passes of gradient steps over a data set, with progress reports.

mod config;
mod error;
mod progress;
mod run;

pub use config::TrainConfig;
pub use error::TrainError;
pub use progress::{Progress, TrainSummary};
pub use run::{train, train_observed};
