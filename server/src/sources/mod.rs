//! Where failure events come from: report files on disk (discovered by glob, watched) and
//! the Argus backend over HTTP. Both turn into [`crate::failures::Run`]s that the workspace
//! records in the [`crate::store::Store`].

pub mod backend;
pub mod git;
pub mod reports;
pub mod watcher;

pub use backend::{
    Backoff, BackendClient, BackendError, BackendErrorKind, BackendStatus, BackendUpdate, poll_loop,
};
pub use reports::{ReportError, ReportMatcher, discover_reports, read_report};
pub use watcher::ReportWatcher;
