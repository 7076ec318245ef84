//! The playground in a real browser (headless Chromium through chromedriver) against the real
//! server: training lowers the loss and redraws the boundary, the backward pass shown step by
//! step carries the tutorial's hand-derived gradients, and a bad CSV upload shows a clear message.
//!
//! Without Chromium and chromedriver these tests print what to install and pass, unless
//! `PLAYGROUND_REQUIRE_BROWSER=1` (as in CI) makes that a failure.

use std::collections::HashMap;
use std::path::Path;

use serde_json::json;

use crate::common::tutorial::tutorial_gradients;
use crate::common::webdriver::{Browser, request, request_bytes};
use demo::serve::Server;

/// A server on a free port and a browser showing its page with the first run created.
fn open_page(width: u32, height: u32) -> Option<(Browser, Server)> {
    let browser = Browser::launch(width, height)?;
    let server = Server::start("127.0.0.1", 0).expect("the playground server starts");
    browser.goto(&server.url());
    browser.wait_until("the page's first run", |page| page.text("#pass") == "0");
    Some((browser, server))
}

fn pass_shown(page: &Browser) -> usize {
    page.text("#pass").parse().unwrap_or(0)
}

fn number_shown(page: &Browser, css: &str) -> f64 {
    let text = page.text(css);
    text.parse()
        .unwrap_or_else(|_| panic!("{css} shows {text:?}, not a number"))
}

/// Trains for at least `passes` passes, pauses, and loads the tape until stepping backward
/// through it is possible.
fn train_then_open_tape(page: &Browser, passes: usize) {
    page.click("#play");
    page.wait_until(&format!("{passes} passes"), |page| {
        pass_shown(page) >= passes
    });
    page.click("#pause");
    page.click("#load-tape");
    page.wait_until("the tape", |page| {
        page.execute(
            "return !document.getElementById('step-backward').disabled;",
            json!([]),
        ) == json!(true)
    });
}

/// The pixels of a PNG as RGB triples, row by row (alpha dropped).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG screenshot");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("its pixels");
    pixels.truncate(info.buffer_size());
    let samples = info.color_type.samples();
    assert!(samples >= 3, "a colour screenshot: {:?}", info.color_type);
    let rgb = pixels
        .chunks(samples)
        .map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// How many pixels differ between two screenshots of the same element.
fn pixels_changed(before: &[u8], after: &[u8]) -> (usize, usize) {
    let (width, height, before) = decode_png(before);
    let (width_after, height_after, after) = decode_png(after);
    assert_eq!((width, height), (width_after, height_after));
    let changed = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 8))
        .count();
    (changed, (width * height) as usize)
}

#[test]
fn training_in_the_page_lowers_the_loss_and_redraws_the_boundary() {
    let Some((page, _server)) = open_page(1400, 1000) else {
        return;
    };
    let boundary_before = page.element_screenshot("#boundary");
    let loss_before = number_shown(&page, "#loss-value");
    page.click("#play");
    page.wait_until("300 passes of training", |page| pass_shown(page) >= 300);
    page.click("#pause");
    let loss_after = number_shown(&page, "#loss-value");
    assert!(
        loss_after < 0.8 * loss_before,
        "the loss went from {loss_before} to only {loss_after}"
    );
    let accuracy = number_shown(&page, "#accuracy-value");
    assert!(accuracy > 0.75, "accuracy {accuracy} after 300 passes");
    let (changed, total) = pixels_changed(&boundary_before, &page.element_screenshot("#boundary"));
    assert!(
        changed > total / 50,
        "only {changed} of {total} boundary pixels changed"
    );
    // The loss curve has a training line on it now.
    let curve = decode_png(&page.element_screenshot("#loss-curve")).2;
    let blue = curve.iter().filter(|p| p[2] > 150 && p[0] < 120).count();
    assert!(blue > 100, "the loss curve shows {blue} curve pixels");
    // Paused training stays paused, and a step is one pass (the first step may show a few
    // passes more: the server trains until it notices the stream closed).
    let pass = pass_shown(&page);
    page.click("#step");
    page.wait_until("a step", |page| pass_shown(page) > pass);
    let pass = pass_shown(&page);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(pass_shown(&page), pass, "training went on after pause");
    page.click("#step");
    page.wait_until("one more pass", |page| pass_shown(page) != pass);
    assert_eq!(pass_shown(&page), pass + 1);
}

/// The numbers a summary block shows: its text is `[shape] v v v ...` (then `…` when cut).
fn shown_numbers(text: &str) -> Vec<f64> {
    let after_shape = text.split_once(']').map_or(text, |(_, rest)| rest);
    after_shape
        .split_whitespace()
        .filter(|word| *word != "…")
        .map(|word| {
            word.parse()
                .unwrap_or_else(|_| panic!("{word:?} in {text:?}"))
        })
        .collect()
}

fn assert_close(what: &str, shown: &[f64], expected: &[f64]) {
    assert!(!shown.is_empty(), "{what}: nothing shown");
    assert!(shown.len() <= expected.len(), "{what}: {shown:?}");
    for (index, (got, want)) in shown.iter().zip(expected).enumerate() {
        // The page shows six significant digits.
        assert!(
            (got - want).abs() <= 1e-5 * want.abs().max(1e-3),
            "{what}[{index}]: the page shows {got}, expected {want}"
        );
    }
}

/// The session's parameters, from its checkpoint as `demo predict` would load it.
fn checkpoint_parameters(port: u16, id: &str, dir: &Path) -> nn::Params {
    let (status, bytes) =
        request_bytes(port, "GET", &format!("/api/sessions/{id}/checkpoint"), None)
            .expect("the checkpoint downloads");
    assert_eq!(status, 200);
    let path = dir.join("model.json");
    std::fs::write(&path, bytes).unwrap();
    let (model, _) = demo::commands::model_io::load(&path).expect("the checkpoint loads");
    nn::Model::params(&model).clone()
}

/// `points` reordered so that their first rows are those the tape's data node `x` starts with
/// (the training loop holds its rows in its own order; sums do not care, `delta3`'s rows do).
fn in_tape_order(mut points: Vec<[f64; 3]>, port: u16, id: &str) -> Vec<[f64; 3]> {
    let (status, tape) = request(port, "GET", &format!("/api/sessions/{id}/tape"), None)
        .expect("the tape downloads");
    assert_eq!(status, 200, "{tape}");
    let x = tape["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["name"] == "x")
        .expect("a data node named x");
    let preview: Vec<f64> = x["value"]["preview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (row, pair) in preview.chunks(2).enumerate() {
        let at = points
            .iter()
            .position(|p| p[0] == pair[0] && p[1] == pair[1])
            .unwrap_or_else(|| panic!("the tape's row {row} {pair:?} is no training point"));
        points.swap(row, at);
    }
    points
}

#[test]
fn stepping_backward_through_the_tutorial_net_shows_the_hand_derived_gradients() {
    let Some((page, server)) = open_page(1400, 1000) else {
        return;
    };
    // Some training first, so that the gradients are not those of the initial weights only.
    train_then_open_tape(&page, 50);
    let progress = page.text("#backward-progress");
    let steps: usize = progress
        .rsplit(' ')
        .next()
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("progress {progress:?}"));
    assert!(steps >= 8, "the tutorial's net has {steps} backward steps");
    for step in 1..=steps {
        page.click("#step-backward");
        assert_eq!(
            page.text("#backward-progress"),
            format!("step {step} of {steps}")
        );
    }
    let shown = page.execute(
        "return [...document.querySelectorAll('#backward-detail .summary')].map(block => ({
             kind: block.classList[1], node: block.dataset.node ?? null,
             input: block.dataset.input ?? null, name: block.dataset.name ?? null,
             label: block.dataset.label ?? null, text: block.querySelector('code').textContent }));",
        json!([]),
    );
    let blocks = shown.as_array().expect("the shown blocks");
    let of_kind = |kind: &'static str| blocks.iter().filter(move |block| block["kind"] == kind);
    assert_eq!(of_kind("upstream").count(), steps);

    // Every upstream gradient shown is the engine's gradient of that node.
    let session = page.execute("return state.session.id;", json!([]));
    let id = session.as_str().expect("the page's session id");
    let port = server.address().port();
    let (status, backward) = request(port, "GET", &format!("/api/sessions/{id}/backward"), None)
        .expect("the backward pass downloads");
    assert_eq!(status, 200, "{backward}");
    let engine: HashMap<String, Vec<f64>> = backward["gradients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let values = entry["gradient"]["preview"].as_array().unwrap();
            let values = values
                .iter()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect();
            (entry["node"].to_string(), values)
        })
        .collect();
    for block in of_kind("upstream") {
        let node = block["node"].as_str().unwrap();
        assert_close(
            &format!("upstream of node {node}"),
            &shown_numbers(block["text"].as_str().unwrap()),
            &engine[node],
        );
    }

    // And they are the tutorial's own: delta3, delta2 and the parameters' gradients, computed
    // here by the tutorial's formulas from the checkpoint and the training points.
    let dir = tempfile::tempdir().unwrap();
    let parameters = checkpoint_parameters(port, id, dir.path());
    let points: Vec<[f64; 3]> = page
        .execute("return state.session.train;", json!([]))
        .as_array()
        .unwrap()
        .iter()
        .map(|row| [0, 1, 2].map(|k| row[k].as_f64().unwrap()))
        .collect();
    let points = in_tape_order(points, port, id);
    let expected = tutorial_gradients(&points, &parameters, 0.01);
    for name in ["W1", "b1", "W2", "b2"] {
        let block = of_kind("final")
            .find(|block| block["name"] == name)
            .unwrap_or_else(|| panic!("the page shows no gradient of {name}"));
        let numbers = shown_numbers(block["text"].as_str().unwrap());
        assert_eq!(numbers.len(), expected[name].len(), "d{name}");
        assert_close(&format!("d{name}"), &numbers, &expected[name]);
    }
    for label in ["delta3", "delta2"] {
        let block = of_kind("upstream")
            .find(|block| block["label"].as_str().is_some_and(|l| l.contains(label)))
            .unwrap_or_else(|| panic!("no step is labelled {label}: {blocks:?}"));
        assert_close(
            label,
            &shown_numbers(block["text"].as_str().unwrap()),
            &expected[label],
        );
    }
}

#[test]
fn a_csv_upload_with_a_bad_row_shows_a_clear_message() {
    let Some((page, _server)) = open_page(1400, 1000) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "x,y,label\n0.5,0.5,0\n1.0,abc,1\n0.2,0.1,1\n").unwrap();
    page.type_into("#csv-file", &path.display().to_string());
    assert_eq!(
        page.execute(
            "return document.getElementById('data-kind').value;",
            json!([])
        ),
        json!("csv")
    );
    page.click("#new-run");
    page.wait_until("the error message", |page| !page.text("#error").is_empty());
    let message = page.text("#error");
    assert!(
        message.contains("abc") && message.contains(":3:"),
        "the message names neither the value nor its line: {message:?}"
    );
    assert_eq!(message.lines().count(), 1, "{message:?}");
    // The page still works: a good file makes a run, and the message goes away.
    std::fs::write(
        &path,
        "x,y,label\n0.5,0.5,0\n1.0,0.3,1\n0.2,0.1,1\n-1,0,0\n",
    )
    .unwrap();
    page.type_into("#csv-file", &path.display().to_string());
    page.click("#new-run");
    page.wait_until("the message to clear", |page| {
        page.text("#error").is_empty()
    });
    assert_eq!(pass_shown(&page), 0);
}

/// Writes `docs/playground.png` for the README: a trained moons run with the tape open and a few
/// backward steps taken. Run with `cargo test -p demo --test suite -- --ignored playground_screenshot`.
#[test]
#[ignore = "writes docs/playground.png; run by hand when the page changes"]
fn playground_screenshot_for_the_readme() {
    let Some((page, _server)) = open_page(1500, 1000) else {
        return;
    };
    train_then_open_tape(&page, 1000);
    // Step until the pass reaches the tutorial's delta3 (the softmax's gradient on z2).
    for _ in 0..30 {
        page.click("#step-backward");
        if page.text("#backward-detail article h3").contains("z2") {
            break;
        }
    }
    page.execute(
        "document.getElementById('tape-scroll').scrollTop = 0; window.scrollTo(0, 0);",
        json!([]),
    );
    let picture = page.screenshot();
    assert!(picture.len() < 300 * 1024, "{} bytes", picture.len());
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("playground.png"), picture).unwrap();
}
