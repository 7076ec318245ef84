//! Data sets from text: [`csv`] parses comma-separated values into features and class labels.
//!
//! Reading files is the caller's business: these functions take the text (or any reader), so
//! that nn itself touches no file system.

pub mod csv;
