//! Fuzz target: any bytes fed to the demo's CSV reader give a table or an error, never a panic.

#![no_main]

use std::fs;
use std::path::Path;

use demo::data::Table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let name = Path::new("fuzz.csv");
    // The parser proper, on the text (invalid UTF-8 replaced so that every input reaches it).
    interpret(Table::parse(name, &String::from_utf8_lossy(bytes)));
    // The file path as the program takes it, where invalid UTF-8 must be a read error.
    let path = std::env::temp_dir().join(format!("csv_reader_{}.csv", std::process::id()));
    if fs::write(&path, bytes).is_ok() {
        interpret(Table::read(&path));
    }
});

/// Runs every interpretation the subcommands make of a table: labeled, unlabeled, training data.
fn interpret(table: demo::error::Result<Table>) {
    let Ok(table) = table else { return };
    if let Ok(data) = table.labeled() {
        assert_eq!(data.features.dims()[0], data.labels.len());
        let _ = data.class_count();
        let _ = data.to_dataset();
    }
    let _ = table.unlabeled();
    let _ = table.training_data();
}
