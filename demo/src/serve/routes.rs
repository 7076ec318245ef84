//! The HTTP routes of the playground contract: the page's files, and the session API.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::assets;
use super::config::{MAX_CSV_BYTES, RunConfig};
use super::session::{Session, SessionError, reproducing_command};
use super::store::{Shared, Store};
use super::{gradcheck_view, stream, tape_view};

/// The largest request body: an upload of [`MAX_CSV_BYTES`] with every byte escaped in JSON,
/// and the rest of the configuration.
pub const MAX_BODY_BYTES: usize = 2 * MAX_CSV_BYTES + 64 * 1024;

/// The most passes one `/step` or one stream frame trains.
pub const MAX_PASSES_PER_REQUEST: usize = 1000;

/// What every handler shares: the sessions, and the address the server answers at.
pub struct App {
    /// The live sessions.
    pub store: Store,
    /// `http://host:port`, for the reproducing command's download.
    pub base_url: String,
}

/// The router of every route in the contract; anything else is a JSON 404.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/api/sessions", post(create))
        .route("/api/sessions/{id}/step", post(step))
        .route("/api/sessions/{id}/stream", get(stream_frames))
        .route("/api/sessions/{id}/reset", post(reset))
        .route("/api/sessions/{id}/tape", get(tape))
        .route("/api/sessions/{id}/backward", get(backward))
        .route("/api/sessions/{id}/gradcheck", post(gradcheck))
        .route("/api/sessions/{id}/checkpoint", get(checkpoint))
        .route("/api/sessions/{id}/boundary.png", get(boundary_png))
        .route("/api/sessions/{id}/data.csv", get(data_csv))
        .fallback(static_file)
        .with_state(app)
}

/// A JSON response.
pub(super) fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// The page's files by path; a JSON 404 for any other path.
async fn static_file(uri: Uri) -> Response {
    match assets::find(uri.path()) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            asset.body,
        )
            .into_response(),
        None => ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("nothing at {}", uri.path()),
        }
        .into_response(),
    }
}

/// The request body as JSON, at most [`MAX_BODY_BYTES`]; an empty body reads as `{}`.
async fn json_body(headers: &HeaderMap, body: Body) -> Result<Value, ApiError> {
    let too_large = || ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!(
            "the request body is larger than the {MAX_BODY_BYTES} bytes allowed (an upload may \
             hold {MAX_CSV_BYTES} bytes of CSV)"
        ),
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::bad_request(format!("the body is not valid JSON: {error}")))
}

/// Runs `work` on the session `id` on a blocking thread (training and drawing are too heavy for
/// the async executor); a panic in it becomes a 500 and the server goes on.
async fn on_session<T: Send + 'static>(
    app: &App,
    id: &str,
    work: impl FnOnce(&mut Session) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let shared = app.store.get(id).ok_or_else(|| ApiError::no_session(id))?;
    blocking(move || work(&mut shared.lock())).await
}

/// Runs `work` on a blocking thread, then frees the tensor buffers the engine pooled on that
/// thread: sessions move between threads, so a thread's pool would fill with buffers freed there
/// but allocated elsewhere, and grow.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(|| {
        let result = work();
        autograd::runtime::release_pooled_storage();
        result
    })
    .await
    .map_err(|_| ApiError::internal("the server failed while handling this request"))?
}

/// `POST /api/sessions`: a new session from a run configuration.
async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let config =
        RunConfig::from_json(&json_body(&headers, body).await?).map_err(ApiError::bad_request)?;
    let (session, frame) = blocking(move || {
        let mut session = Session::new(config)?;
        let frame = session.frame()?;
        Ok::<_, ApiError>((session, frame))
    })
    .await?;
    let (train, holdout) = session.points_json();
    let config = session.config().to_json();
    let classes = nn::Model::classes(session.model());
    let train_command = session.train_command();
    let id = app.store.insert(session);
    let data_url = format!("{}/api/sessions/{id}/data.csv", app.base_url);
    let command = reproducing_command(&data_url, &train_command);
    let body = json!({
        "id": id,
        "config": config,
        "classes": classes,
        "train": train,
        "holdout": holdout,
        "command": command,
        "frame": frame.to_json(),
    });
    Ok(json_response(StatusCode::CREATED, &body))
}

/// A count of passes from 1 to [`MAX_PASSES_PER_REQUEST`], or why `value` is none.
fn passes(value: Option<&Value>, name: &str) -> Result<usize, ApiError> {
    match value.and_then(Value::as_f64) {
        Some(passes)
            if passes.fract() == 0.0 && (1.0..=MAX_PASSES_PER_REQUEST as f64).contains(&passes) =>
        {
            Ok(passes as usize)
        }
        _ => Err(ApiError::bad_request(format!(
            "{name} must be a whole number from 1 to {MAX_PASSES_PER_REQUEST}, not {}",
            value.map_or("missing".to_string(), Value::to_string)
        ))),
    }
}

/// `POST /api/sessions/{id}/step`: `{"passes": n}` more passes, then the frame.
async fn step(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let request = json_body(&headers, body).await?;
    let count = passes(request.get("passes"), "passes")?;
    let frame = on_session(&app, &id, move |session| Ok(session.step(count)?)).await?;
    Ok(json_response(StatusCode::OK, &frame.to_json()))
}

/// `POST /api/sessions/{id}/reset`: back to pass 0 with the same initial weights.
async fn reset(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let frame = on_session(&app, &id, |session| Ok(session.reset()?)).await?;
    Ok(json_response(StatusCode::OK, &frame.to_json()))
}

/// `GET /api/sessions/{id}/stream?passes_per_frame=k`: frames as server-sent events until the
/// client disconnects or the run ends.
async fn stream_frames(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let value = uri.query().unwrap_or_default().split('&').find_map(|pair| {
        pair.strip_prefix("passes_per_frame=")
            .map(|text| text.parse::<f64>().map_or(json!(text), |n| json!(n)))
    });
    let per_frame = match value {
        None => 10,
        Some(value) => passes(Some(&value), "passes_per_frame")?,
    };
    let shared: Shared = app
        .store
        .get(&id)
        .ok_or_else(|| ApiError::no_session(&id))?;
    let finished = blocking({
        let shared = shared.clone();
        move || Ok(shared.lock().finished())
    })
    .await?;
    if finished {
        let passes = blocking({
            let shared = shared.clone();
            move || Ok(shared.lock().train_config().passes)
        })
        .await?;
        return Err(SessionError::Finished(passes).into());
    }
    let body = Body::new(stream::start(shared, per_frame));
    Ok((
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/sessions/{id}/tape`: the graph of the current model's forward pass.
async fn tape(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let view = on_session(&app, &id, tape_view::tape_json).await?;
    Ok(json_response(StatusCode::OK, &view))
}

/// `GET /api/sessions/{id}/backward`: the backward pass of that graph, step by step.
async fn backward(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = on_session(&app, &id, tape_view::backward_json).await?;
    Ok(json_response(StatusCode::OK, &view))
}

/// `POST /api/sessions/{id}/gradcheck`: the model's gradients against finite differences.
async fn gradcheck(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let report = on_session(&app, &id, |session| {
        Ok(gradcheck_view::gradcheck_json(session))
    })
    .await?;
    Ok(json_response(StatusCode::OK, &report))
}

/// `GET /api/sessions/{id}/checkpoint`: the model as a checkpoint `demo predict` loads.
async fn checkpoint(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let text = on_session(&app, &id, |session| Ok(session.model().to_json())).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"playground-model.json\"",
            ),
        ],
        text,
    )
        .into_response())
}

/// `GET /api/sessions/{id}/boundary.png`: the decision boundary drawn by the demo's plot code.
async fn boundary_png(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let png = on_session(&app, &id, |session| {
        session
            .boundary_png()
            .map_err(|error| ApiError::internal(error.to_string()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// `GET /api/sessions/{id}/data.csv`: the session's points, for the reproducing command.
async fn data_csv(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let text = on_session(&app, &id, |session| Ok(crate::data::to_csv(session.data()))).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"playground.csv\"",
            ),
        ],
        text,
    )
        .into_response())
}
