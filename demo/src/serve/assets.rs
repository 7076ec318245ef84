//! The page's files, embedded in the binary, by the path they are served at.

/// One embedded file: where it is served, its type and its bytes.
pub struct Asset {
    /// The URL path (`/` for the page itself).
    pub path: &'static str,
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The file's contents.
    pub body: &'static str,
}

/// Every file the page loads.
pub const ASSETS: &[Asset] = &[
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../../assets/playground/index.html"),
    },
    Asset {
        path: "/app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/playground/app.js"),
    },
    Asset {
        path: "/style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../assets/playground/style.css"),
    },
];

/// The file served at `path`, if any (`/index.html` is the page too).
pub fn find(path: &str) -> Option<&'static Asset> {
    let path = if path == "/index.html" { "/" } else { path };
    ASSETS.iter().find(|asset| asset.path == path)
}
