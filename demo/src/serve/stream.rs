//! The `/stream` endpoint's body: frames as server-sent events, trained on a blocking thread
//! until the client goes away, the run ends, a newer stream of the session starts or the session
//! is evicted.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use super::session::SessionError;
use super::store::Shared;

/// Frames trained ahead of what the client has read.
const FRAMES_AHEAD: usize = 2;

/// How long the trainer waits before offering a frame again to a client that has not read the
/// last ones.
const RETRY: Duration = Duration::from_millis(2);

/// A response body of server-sent events, each a frame the training thread sends.
pub struct EventStream {
    events: mpsc::Receiver<Bytes>,
}

impl http_body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        self.events
            .poll_recv(cx)
            .map(|event| event.map(|bytes| Ok(http_body::Frame::data(bytes))))
    }
}

/// Starts training `shared` `passes_per_frame` passes per event on a blocking thread, and
/// returns the body that carries the events. When the client disconnects the body is dropped,
/// and the thread stops at its next event.
pub fn start(shared: Shared, passes_per_frame: usize) -> EventStream {
    let (sender, events) = mpsc::channel(FRAMES_AHEAD);
    let generation = shared.stream_generation.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::task::spawn_blocking(move || train(&shared, generation, passes_per_frame, &sender));
    EventStream { events }
}

/// Whether the stream numbered `generation` of `shared` should stop.
fn superseded(shared: &Shared, generation: u64) -> bool {
    shared.evicted.load(Ordering::Relaxed)
        || shared.stream_generation.load(Ordering::SeqCst) != generation
}

/// The training loop of one stream.
fn train(shared: &Shared, generation: u64, passes_per_frame: usize, sender: &mpsc::Sender<Bytes>) {
    loop {
        if superseded(shared, generation) {
            return;
        }
        let stepped = shared.lock().step(passes_per_frame);
        // As after every request (see `routes::blocking`): this thread's pool would keep the
        // buffers of a session other threads also train.
        autograd::runtime::release_pooled_storage();
        let (event, last) = match stepped {
            Ok(frame) => (format!("data: {}\n\n", frame.to_json()), false),
            Err(SessionError::Finished(_)) => return,
            Err(error) => {
                let message = serde_json::json!({ "error": error.to_string() });
                (format!("event: error\ndata: {message}\n\n"), true)
            }
        };
        if !deliver(sender, Bytes::from(event), shared, generation) || last {
            return;
        }
    }
}

/// Hands `event` to the body, waiting while the client is behind; false when the client is gone
/// or the stream should stop.
fn deliver(sender: &mpsc::Sender<Bytes>, event: Bytes, shared: &Shared, generation: u64) -> bool {
    let mut event = event;
    loop {
        match sender.try_send(event) {
            Ok(()) => return true,
            Err(TrySendError::Closed(_)) => return false,
            Err(TrySendError::Full(back)) => {
                if superseded(shared, generation) {
                    return false;
                }
                event = back;
                std::thread::sleep(RETRY);
            }
        }
    }
}
