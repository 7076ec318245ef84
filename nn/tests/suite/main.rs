//! The nn crate's integration tests, one binary (each module below was its own test file).

mod checkpoint;
mod common;
mod csv;
mod golden;
mod golden_cnn;
mod gradcheck;
mod hand_derived;
mod library;
mod robust_checkpoint;
mod safetensors;
mod seq;
mod sequential;
mod stability;
mod train;
