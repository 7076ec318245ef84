//! The demo's library: everything the `demo` binary runs, exposed so that fuzz targets and tests can reach the data readers.
//!
//! The binary (`src/main.rs`) holds only the command dispatch and the tutorial recipe; data files,
//! the subcommands, figures and errors live here.

pub mod atomic;
pub mod budget;
pub mod classes;
pub mod cli;
pub mod commands;
pub mod data;
pub mod digits;
pub mod error;
pub mod graph_layout;
pub mod images;
pub mod moons;
pub mod output;
pub mod params_file;
pub mod plot;
pub mod serve;
pub mod shapes;
pub mod standardize;
