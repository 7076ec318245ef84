//! Helpers for the integration tests: run the built binary, make data files, inspect PNGs.

#![allow(dead_code)]

pub mod tutorial;
pub mod webdriver;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The result of one run of the binary.
pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `demo` with `args` in `dir`.
pub fn demo_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the demo binary runs");
    Run {
        success: output.status.success(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `demo` with `args` and asserts that it succeeds.
pub fn demo_ok(dir: &Path, args: &[&str]) -> Run {
    let run = demo_in(dir, args);
    assert!(
        run.success,
        "demo {args:?} failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    );
    run
}

/// Runs `demo` with `args`, asserts that it fails with one `error: ...` line containing every
/// piece of `expected`, and no backtrace.
pub fn demo_fails(dir: &Path, args: &[&str], expected: &[&str]) -> String {
    let run = demo_in(dir, args);
    assert!(!run.success, "demo {args:?} succeeded:\n{}", run.stdout);
    assert!(
        run.code.is_some_and(|code| code != 0),
        "killed by a signal: {args:?}"
    );
    let message = run.stderr.trim_end();
    assert!(
        !message.contains('\n'),
        "more than one line for {args:?}:\n{message}"
    );
    assert!(message.starts_with("error: "), "{args:?}: {message}");
    assert!(
        !message.contains("panicked"),
        "{args:?} panicked: {message}"
    );
    for piece in expected {
        assert!(
            message.contains(piece),
            "{args:?}: {message:?} lacks {piece:?}"
        );
    }
    message.to_string()
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// `dir/name` as a string.
pub fn path_in(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// The golden fixtures copied into the nn crate's tests.
pub fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../nn/tests/golden")
        .join(name)
}

/// Generates a moons CSV of `count` points in `dir` and returns its path.
pub fn moons_csv(dir: &Path, count: usize) -> String {
    let path = path_in(dir, "moons.csv");
    demo_ok(dir, &["moons", "--n", &count.to_string(), "--out", &path]);
    path
}

/// Decodes the PNG at `path` and asserts that it is a real, non-blank picture of some size.
pub fn assert_valid_png(path: &Path) {
    let file = fs::File::open(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|error| panic!("{} is not a PNG: {error}", path.display()));
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert!(
        info.width >= 200 && info.height >= 200,
        "{}: tiny",
        path.display()
    );
    let pixels = &pixels[..info.buffer_size()];
    let samples = info.color_type.samples();
    let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(samples).collect();
    assert!(
        distinct.len() > 20,
        "{} looks blank: {} colours",
        path.display(),
        distinct.len()
    );
    let total = pixels.len() / samples;
    let drawn = pixels
        .chunks(samples)
        .filter(|pixel| pixel.iter().any(|&v| v != 255))
        .count();
    assert!(
        drawn > total / 100,
        "{} is almost all white",
        path.display()
    );
}
