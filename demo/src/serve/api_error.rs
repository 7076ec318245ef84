//! `ApiError`: an HTTP status with a one-line reason, sent as `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::routes::json_response;
use super::session::SessionError;

/// A refusal the page shows as it is: the status and one clear line.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What was wrong, in one line.
    pub message: String,
}

impl ApiError {
    /// A 400: the request's parameters are wrong.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// A 404 for an id that names no live session.
    pub fn no_session(id: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!(
                "no session \"{id}\" (never created, or closed to make room for newer ones); \
                 start a new one"
            ),
        }
    }

    /// A 500 for a failure of the server itself.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<SessionError> for ApiError {
    fn from(error: SessionError) -> ApiError {
        let status = match error {
            SessionError::Invalid(_) => StatusCode::BAD_REQUEST,
            SessionError::Finished(_) => StatusCode::CONFLICT,
            SessionError::Diverged(_) => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError {
            status,
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &json!({ "error": self.message }))
    }
}
