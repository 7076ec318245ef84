//! Fuzz target: any bytes fed to the checkpoint loader give a model or an error, never a panic.

#![no_main]

use std::fs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // The parser proper, on the text (invalid UTF-8 replaced so that every input reaches it).
    if let Ok(model) = nn::checkpoint::from_json(&String::from_utf8_lossy(bytes)) {
        // A model that loads saves and loads back to itself.
        let text = nn::checkpoint::to_json(&model);
        let again = nn::checkpoint::from_json(&text).expect("a saved checkpoint loads");
        assert_eq!(again, model);
    }
    // The file path as the program takes it, where invalid UTF-8 must be a read error.
    let path = std::env::temp_dir().join(format!("checkpoint_loader_{}.json", std::process::id()));
    if fs::write(&path, bytes).is_ok() {
        let _ = nn::checkpoint::load(&path);
    }
});
