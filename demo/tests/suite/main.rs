//! The demo crate's integration tests, one binary (each module below was its own test file).

mod bad_input;
mod common;
mod default_run;
mod figures;
mod golden;
mod images;
mod names;
mod playground;
mod playground_browser;
mod robust_input;
mod streams;
mod subcommands;
mod training_guards;
