//! Bounded load: twenty clients training at once, half by steps and half by streams, with no
//! failed request and the resident memory flat after warm-up.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use super::client::{EventReader, create, get, new_stream, post, server, stream_path};

/// Clients at once.
const CLIENTS: usize = 20;

/// How much the resident memory may grow between the end of warm-up and the end of the run.
const RSS_GROWTH_BOUND: u64 = 16 << 20;

/// The process's resident memory in bytes (Linux: `/proc/self/statm`, pages of 4 KiB).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// One client until `deadline`: a session of its own, then steps (even clients) or one stream
/// read frame by frame (odd ones). Returns the requests or frames it completed; any failure
/// panics the client's thread.
fn client(address: SocketAddr, number: usize, deadline: Instant) -> usize {
    let session = create(
        address,
        &json!({"data": {"n": 200, "seed": number}, "seed": number, "passes": 1_000_000}),
    );
    let id = session["id"].as_str().unwrap().to_string();
    let mut done = 0;
    if number.is_multiple_of(2) {
        while Instant::now() < deadline {
            let response = post(
                address,
                &format!("/api/sessions/{id}/step"),
                &json!({"passes": 5}),
            );
            assert_eq!(response.status, 200, "client {number}: {}", response.text());
            assert!(response.json()["loss"].is_number());
            done += 1;
        }
    } else {
        let path = stream_path(&id, 5);
        let mut events = EventReader::open(address, &path);
        assert_eq!(events.status, 200);
        while Instant::now() < deadline {
            let frame = events.next_json().expect("the stream goes on");
            assert!(frame["pass"].as_u64().unwrap() > 0);
            done += 1;
        }
    }
    done
}

/// Runs the load for `seconds` and checks it.
fn run_load(seconds: u64) {
    let server = server();
    let address = server.address();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let warm_up = Duration::from_secs(seconds)
        .mul_f64(0.3)
        .max(Duration::from_secs(1));
    let finished = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|number| {
            let finished = finished.clone();
            std::thread::spawn(move || {
                let done = client(address, number, deadline);
                finished.fetch_add(1, Ordering::SeqCst);
                done
            })
        })
        .collect();
    std::thread::sleep(warm_up);
    let rss_after_warm_up = resident_bytes();
    let mut samples = vec![rss_after_warm_up >> 20];
    while Instant::now() + Duration::from_secs(2) < deadline {
        std::thread::sleep(Duration::from_secs(2));
        samples.push(resident_bytes() >> 20);
    }
    eprintln!("resident MiB every 2 s after warm-up: {samples:?}");
    let counts: Vec<usize> = clients
        .into_iter()
        .map(|client| client.join().expect("no client failed"))
        .collect();
    let rss_at_end = resident_bytes();
    assert_eq!(finished.load(Ordering::SeqCst), CLIENTS);
    assert!(counts.iter().all(|&count| count > 0), "{counts:?}");
    eprintln!(
        "{CLIENTS} clients for {seconds} s: {} requests or frames ({counts:?}); resident memory \
         {} MiB after warm-up, {} MiB at the end",
        counts.iter().sum::<usize>(),
        rss_after_warm_up >> 20,
        rss_at_end >> 20
    );
    assert!(
        rss_at_end <= rss_after_warm_up + RSS_GROWTH_BOUND,
        "resident memory grew from {} MiB to {} MiB",
        rss_after_warm_up >> 20,
        rss_at_end >> 20
    );
    assert_eq!(get(address, "/").status, 200);
}

#[test]
fn twenty_clients_train_at_once_for_three_seconds() {
    run_load(3);
}

/// The full run: `PLAYGROUND_LOAD_SECONDS` (default 30) seconds.
#[test]
#[ignore = "takes 30 s; run with --ignored (PLAYGROUND_LOAD_SECONDS sets the duration)"]
fn twenty_clients_train_at_once_for_the_full_duration() {
    let seconds = std::env::var("PLAYGROUND_LOAD_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(30);
    run_load(seconds);
}

/// Passes per second one stream trains on the tutorial's net with a boundary every pass.
#[test]
#[ignore = "a measurement: run with --ignored --nocapture on an idle machine"]
fn one_stream_trains_a_hundred_passes_a_second_or_more() {
    let server = server();
    let address = server.address();
    let (_, mut events) = new_stream(address, &json!({"passes": 1_000_000}), 1);
    events.next_json().unwrap();
    let start = Instant::now();
    let mut frames = 0;
    while start.elapsed() < Duration::from_secs(3) {
        events.next_json().unwrap();
        frames += 1;
    }
    let rate = frames as f64 / start.elapsed().as_secs_f64();
    eprintln!("one stream, one pass and one 64×64 boundary per frame: {rate:.0} passes/s");
    assert!(rate >= 100.0, "{rate:.0} passes/s");
}
