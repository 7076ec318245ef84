//! Outputs that are not plain files: `-` for standard output, symbolic links, named pipes, and
//! a standard output that closes early.

use crate::common;

use std::fs;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::process::{Command, Stdio};

use common::{demo_fails, demo_ok, moons_csv, path_in};

#[test]
fn moons_out_dash_streams_the_csv_to_standard_output_and_makes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = demo_ok(dir.path(), &["moons", "--n", "5", "--out", "-"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    assert_eq!(lines[0], "x,y,label");
    assert!(run.stderr.contains("wrote 5 points"), "{}", run.stderr);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn dev_stdout_is_written_into_and_never_replaced() {
    // Standard output is a pipe here: /dev/stdout leads to "pipe:[N]", which no rename can reach.
    let dir = tempfile::tempdir().unwrap();
    let run = demo_ok(dir.path(), &["moons", "--n", "3", "--out", "/dev/stdout"]);
    assert!(run.stdout.starts_with("x,y,label\n"), "{}", run.stdout);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|line| line.ends_with(",0") || line.ends_with(",1"))
            .count(),
        3
    );
    assert!(
        fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_output_through_a_symbolic_link_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/moons.csv"), "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real/moons.csv", &link).unwrap();
    demo_ok(
        dir.path(),
        &["moons", "--n", "4", "--out", link.to_str().unwrap()],
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = fs::read_to_string(dir.path().join("real/moons.csv")).unwrap();
    assert!(written.starts_with("x,y,label\n"), "{written}");
    assert_eq!(written.lines().count(), 5);
    assert_eq!(fs::read_dir(dir.path().join("real")).unwrap().count(), 1);
}

#[test]
fn an_output_to_a_named_pipe_is_streamed_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let run = common::demo_in(
        dir.path(),
        &["moons", "--n", "3", "--out", fifo.to_str().unwrap()],
    );
    // Were the pipe replaced instead, the reader would wait for a writer forever: be that writer
    // (opened for reading too, which on Linux never waits for the other end).
    drop(fs::OpenOptions::new().read(true).write(true).open(&fifo));
    let received = reader.join().unwrap();
    assert!(run.success, "{}", run.stderr);
    assert!(received.starts_with("x,y,label\n"), "{received:?}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn train_log_dash_puts_the_log_on_standard_output_and_progress_on_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    let run = demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--passes",
            "20",
            "--print-every",
            "10",
            "--log",
            "-",
        ],
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "pass,loss,accuracy", "{}", run.stdout);
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(
        run.stderr.contains("Loss after iteration 20"),
        "{}",
        run.stderr
    );
}

#[test]
fn predict_out_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    let model = path_in(dir.path(), "model.json");
    demo_ok(
        dir.path(),
        &["train", "--data", &data, "--passes", "5", "--save", &model],
    );
    let run = demo_ok(
        dir.path(),
        &["predict", "--model", &model, "--data", &data, "--out", "-"],
    );
    assert!(
        run.stdout
            .starts_with("prediction,probability_0,probability_1\n")
    );
    assert_eq!(run.stdout.lines().count(), 21);
    assert!(run.stderr.contains("accuracy"), "{}", run.stderr);
    assert!(!dir.path().join("-").exists());
}

#[test]
fn binary_outputs_refuse_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    for flag in ["--plot", "--gif", "--save"] {
        demo_fails(
            dir.path(),
            &["train", "--data", &data, "--passes", "5", flag, "-"],
            &[flag, "standard output"],
        );
    }
    demo_fails(
        dir.path(),
        &["moons", "--out", "m.csv", "--plot", "-"],
        &["--plot", "standard output"],
    );
}

/// Runs `demo args` with its standard output a pipe whose reader has already gone.
fn run_with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap().code(), stderr)
}

#[test]
fn a_closed_standard_output_ends_the_program_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 30);
    let cases: [&[&str]; 3] = [
        &["moons", "--n", "20000", "--out", "-"],
        &[
            "train",
            "--data",
            &data,
            "--passes",
            "200",
            "--print-every",
            "1",
        ],
        &["--help"],
    ];
    for args in cases {
        let (code, stderr) = run_with_closed_stdout(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn a_missing_required_flag_is_named() {
    let dir = tempfile::tempdir().unwrap();
    demo_fails(dir.path(), &["train"], &["--data <FILE.csv>"]);
    demo_fails(dir.path(), &["predict", "--data", "x.csv"], &["--model"]);
}
