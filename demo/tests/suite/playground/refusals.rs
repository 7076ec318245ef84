//! Bad requests: a clear 4xx each, and the server serves on; a client gone mid-stream: the
//! server stops training for it.

use std::time::Duration;

use serde_json::json;

use super::client::{
    EventReader, Response, create, declare_body, get, new_stream, post, request, server, step,
    stream_path,
};

/// Asserts a JSON error with `status` whose one line contains `expected`.
#[track_caller]
fn assert_refused(response: &Response, status: u16, expected: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    let message = response.error();
    assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    assert!(!message.contains('\n'), "{message:?} is not one line");
}

#[test]
fn bad_configurations_are_refused_and_the_server_serves_on() {
    let server = server();
    let address = server.address();
    let raw = |body: &str| request(address, "POST", "/api/sessions", Some(body.as_bytes()));
    let cases: [(Response, &str); 10] = [
        (
            post(
                address,
                "/api/sessions",
                &json!({"hidden": [1_000_000_000u64]}),
            ),
            "hidden[0]",
        ),
        (raw(r#"{"lr": NaN}"#), "not valid JSON"),
        (
            post(address, "/api/sessions", &json!({"lr": "NaN"})),
            "lr must be a number",
        ),
        (raw(r#"{"lr": 1e999}"#), "not valid JSON"),
        (
            post(address, "/api/sessions", &json!({"lr": -0.5})),
            "lr -0.5",
        ),
        (
            post(
                address,
                "/api/sessions",
                &json!({"data": {"kind": "rings"}}),
            ),
            "\"rings\"",
        ),
        (raw(r#"{"hidden": [3"#), "not valid JSON"),
        (
            post(address, "/api/sessions", &json!({"data": {"n": 100000}})),
            "data.n",
        ),
        (
            post(address, "/api/sessions", &json!({"holdout": 0.99})),
            "holdout",
        ),
        (
            post(address, "/api/sessions", &json!({"schedule": "sideways"})),
            "schedule",
        ),
    ];
    for (response, expected) in &cases {
        assert_refused(response, 400, expected);
    }
    let upload = "x,y,label\n0,0,0\n1,1,1\n0.5,oops,0\n";
    let bad_row = post(
        address,
        "/api/sessions",
        &json!({"data": {"kind": "csv", "csv": upload}}),
    );
    assert_refused(&bad_row, 400, "upload.csv:4:2: \"oops\" is not a number");
    assert_eq!(get(address, "/").status, 200);
    assert_eq!(create(address, &json!({}))["frame"]["pass"], 0);
}

#[test]
fn bad_steps_unknown_sessions_and_huge_bodies_are_refused() {
    let server = server();
    let address = server.address();
    let session = create(address, &json!({"passes": 3}));
    let id = session["id"].as_str().unwrap();
    let step_path = format!("/api/sessions/{id}/step");
    for passes in [json!(-5), json!(0), json!(1001), json!(2.5), json!("ten")] {
        let response = post(address, &step_path, &json!({ "passes": passes }));
        assert_refused(
            &response,
            400,
            "passes must be a whole number from 1 to 1000",
        );
    }
    let stream = get(
        address,
        &format!("/api/sessions/{id}/stream?passes_per_frame=-1"),
    );
    assert_refused(&stream, 400, "passes_per_frame");
    for path in ["step", "reset", "gradcheck"] {
        let response = post(
            address,
            &format!("/api/sessions/nope/{path}"),
            &json!({"passes": 1}),
        );
        assert_refused(&response, 404, "no session \"nope\"");
    }
    for path in [
        "tape",
        "backward",
        "checkpoint",
        "boundary.png",
        "data.csv",
        "stream",
    ] {
        assert_refused(
            &get(address, &format!("/api/sessions/nope/{path}")),
            404,
            "nope",
        );
    }
    let response = declare_body(address, "/api/sessions", 3 << 20);
    assert_refused(&response, 413, "larger than");
    let upload = format!("x,y,label\n{}", "0.1,0.2,0\n".repeat(110_000));
    let response = post(
        address,
        "/api/sessions",
        &json!({"data": {"kind": "csv", "csv": upload}}),
    );
    assert_refused(&response, 400, "data.csv holds");
    // The run's end is a conflict, not a failure.
    assert_eq!(step(address, id, 5)["pass"], 3);
    assert_refused(
        &post(address, &step_path, &json!({"passes": 1})),
        409,
        "complete",
    );
    assert_eq!(get(address, "/").status, 200);
}

#[test]
fn a_client_gone_mid_stream_stops_its_training() {
    let server = server();
    let address = server.address();
    let (id, mut events) = new_stream(address, &json!({"passes": 1_000_000}), 5);
    let first = events.next_json().unwrap()["pass"].as_u64().unwrap();
    let second = events.next_json().unwrap()["pass"].as_u64().unwrap();
    assert_eq!((first, second), (5, 10));
    drop(events);
    // The server sees the closed connection at its next frame or two; then nothing trains.
    std::thread::sleep(Duration::from_millis(500));
    let settled = step(address, &id, 1)["pass"].as_u64().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(step(address, &id, 1)["pass"].as_u64().unwrap(), settled + 1);
    assert_eq!(get(address, "/").status, 200);
}

#[test]
fn a_newer_stream_of_a_session_replaces_the_older() {
    let server = server();
    let address = server.address();
    let (id, mut older) = new_stream(address, &json!({"passes": 1_000_000}), 1);
    assert!(older.next_json().is_some());
    let mut newer = EventReader::open(address, &stream_path(&id, 1));
    assert!(newer.next_json().is_some());
    // The older stream ends after at most the frames already queued for it.
    let mut left = 0;
    while older.next_data().is_some() {
        left += 1;
        assert!(left < 10, "the older stream goes on");
    }
    assert!(newer.next_json().is_some());
}
