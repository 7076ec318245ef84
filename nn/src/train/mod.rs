//! The training loop: passes of gradient steps over a data set, with progress reports.

mod config;
mod error;
mod hook;
mod progress;
mod run;
mod trainer;

pub use config::TrainConfig;
pub use error::TrainError;
pub use hook::{AfterPass, PassHook};
pub use progress::{Progress, TrainSummary};
pub use run::{train, train_observed, train_with_hook};
pub use trainer::Trainer;
