//! tracing to stderr (stdout carries the LSP stream). Level from `ARGUS_LOG`, else the config.

use tracing_subscriber::{EnvFilter, Registry, layer::SubscriberExt, reload, util::SubscriberInitExt};

pub const ENV: &str = "ARGUS_LOG";

/// Changes the log filter at run time when the config's `log_level` changes.
#[derive(Clone)]
pub struct LogHandle(Option<reload::Handle<EnvFilter, Registry>>);

impl LogHandle {
    /// Apply `level` from the config, unless `ARGUS_LOG` is set (the environment wins).
    pub fn set_level(&self, level: &str) {
        if std::env::var_os(ENV).is_some() {
            return;
        }
        if let Some(handle) = &self.0 {
            match EnvFilter::try_new(directives(level)) {
                Ok(filter) => {
                    let _ = handle.modify(|f| *f = filter);
                }
                Err(e) => tracing::warn!("log_level `{level}` ignored: {e}"),
            }
        }
    }

    pub fn disabled() -> Self {
        LogHandle(None)
    }
}

/// A bare level (`debug`) is for argus: the embedded database's debug chatter and the file
/// watcher's complaints about vanished directories stay quiet unless a directive names them
/// (`debug,sled=debug`).
fn directives(level: &str) -> String {
    if level.contains("sled") || level.contains("notify") { level.to_string() } else { format!("{level},sled=warn,notify=error") }
}

/// Install the global subscriber once; later calls return a handle that does nothing.
pub fn init(default_level: &str) -> LogHandle {
    let filter = std::env::var(ENV)
        .ok()
        .and_then(|v| EnvFilter::try_new(directives(&v)).ok())
        .unwrap_or_else(|| EnvFilter::new(directives(default_level)));
    let (filter, handle) = reload::Layer::new(filter);
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false).with_target(false);
    match tracing_subscriber::registry().with(filter).with(layer).try_init() {
        Ok(()) => LogHandle(Some(handle)),
        Err(_) => LogHandle(None),
    }
}
