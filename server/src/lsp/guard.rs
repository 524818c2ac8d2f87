//! A panic in one handler must never take the server down: it becomes an error response and
//! a log line, and the server answers the next request.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tower_lsp_server::jsonrpc;

/// Run a request handler's body; a panic becomes an internal-error response.
pub fn request<T>(method: &str, f: impl FnOnce() -> jsonrpc::Result<T>) -> jsonrpc::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let why = panic_message(&panic);
            tracing::error!("{method} panicked: {why}");
            Err(jsonrpc::Error {
                code: jsonrpc::ErrorCode::InternalError,
                message: format!("argus: {method} failed: {why}").into(),
                data: None,
            })
        }
    }
}

/// Run a notification handler's body; a panic is logged and `None` returned.
pub fn notification<T>(method: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(panic) => {
            tracing::error!("{method} panicked: {}", panic_message(&panic));
            None
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
