//! `demo serve`: the playground, a local web server whose page trains a network live and steps
//! through its backward pass (the HTTP contract is `notes/playground_api.md`'s).
//!
//! The page's files are embedded in the binary; every session trains through `demo train`'s
//! own code path (its command line parsed by the demo's parser, nn's training loop), on
//! blocking threads beside the async executor.

mod api_error;
mod assets;
pub mod config;
pub mod frame;
mod gradcheck_view;
mod routes;
pub mod session;
mod store;
mod stream;
mod tape_view;
mod upload;

use std::io;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::sync::oneshot;

use crate::cli::ServeArgs;
use crate::error::{Error, Result};
use crate::say;
use routes::App;
pub use routes::{MAX_BODY_BYTES, MAX_PASSES_PER_REQUEST};

/// The most sessions kept at once.
pub const MAX_SESSIONS: usize = 64;

/// The most memory the sessions may hold together, by their own estimates (1 GiB).
pub const MAX_SESSION_BYTES: u128 = 1 << 30;

/// A server running on a thread of its own; dropping it stops the server.
pub struct Server {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `host:port` (port 0: any free port) and starts serving on a new thread.
    pub fn start(host: &str, port: u16) -> io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_io()
            .thread_name("playground")
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind((host, port)))?;
        let address = listener.local_addr()?;
        let app = Arc::new(App {
            store: store::Store::new(MAX_SESSIONS, MAX_SESSION_BYTES),
            base_url: format!("http://{address}"),
        });
        let (shutdown, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("playground-server".to_string())
            .spawn(move || {
                // Frames and small answers go out at once rather than waiting to be coalesced.
                let listener = listener.tap_io(|connection| {
                    let _ = connection.set_nodelay(true);
                });
                runtime.spawn(async move {
                    // Errors accepting one connection are retried inside; serve returns only
                    // when the listener itself fails.
                    let _ = axum::serve(listener, routes::router(app)).await;
                });
                let _ = runtime.block_on(stopped);
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        Ok(Server {
            address,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://host:port/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `demo serve`: starts the server, prints its address, opens a browser when asked, and serves
/// until interrupted.
pub fn run(args: &ServeArgs) -> Result<()> {
    let server = Server::start(&args.host, args.port).map_err(|source| Error::Serve {
        address: format!("{}:{}", args.host, args.port),
        source,
    })?;
    let url = server.url();
    say!("the playground is at {url} (Ctrl-C stops it)");
    if args.open {
        open_browser(&url);
    }
    server.wait();
    Ok(())
}

/// Launchers tried in turn to open a URL in the desktop's browser.
const LAUNCHERS: [&str; 2] = ["xdg-open", "sensible-browser"];

/// Opens `url` with the first launcher that exists, or says that none does.
fn open_browser(url: &str) {
    for launcher in LAUNCHERS {
        if let Ok(mut child) = Command::new(launcher).arg(url).spawn() {
            say!("opened it with {launcher}");
            std::thread::spawn(move || child.wait());
            return;
        }
    }
    say!(
        "no browser launcher ({}) was found; open {url} yourself",
        LAUNCHERS.join(", ")
    );
}
