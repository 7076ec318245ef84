//! The subcommands, one file each, and the pieces they share (training, checkpoints, progress).

pub mod digits;
pub mod gradcheck;
pub mod inspect;
pub mod model_io;
pub mod moons;
pub mod names;
pub mod network;
pub mod predict;
pub mod progress;
pub mod reproduce;
pub mod sweep;
pub mod train;
pub mod training;
pub mod tutorial;
