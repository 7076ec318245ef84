//! The nn crate's integration tests, one binary (each module below was its own test file).

mod checkpoint;
mod common;
mod golden;
mod golden_cnn;
mod gradcheck;
mod hand_derived;
mod robust_checkpoint;
mod sequential;
mod stability;
mod train;
