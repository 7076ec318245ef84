//! The autograd crate's integration tests, one binary (each module below was its own test file).

mod checker;
mod common;
mod conv;
mod gradcheck;
mod misuse;
mod second_order;
mod tape;
