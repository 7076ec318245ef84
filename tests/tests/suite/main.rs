//! The tests crate's integration tests, one binary (each module below was its own test file).

mod broadcasting;
mod checker;
mod compositions;
mod convolution;
mod invariants;
mod models;
mod ops;
mod second_order;
