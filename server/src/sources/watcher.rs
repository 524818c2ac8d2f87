//! Watches a workspace for report files (notify), debounced, filtered by the report globs.
//!
//! Each directory outside the skipped ones (`node_modules`, VCS, virtualenvs) gets a
//! non-recursive watch, so a huge `node_modules` never eats the inotify budget; directories
//! created later (a test run recreating `test-results/`) are picked up as they appear, with
//! the reports already inside them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use super::reports::{ReportMatcher, discover_with};

/// Default quiet time before a batch is sent.
pub const DEBOUNCE: Duration = Duration::from_millis(300);
/// A batch is sent at the latest this long after its first change, even if writes go on.
const MAX_WAIT: Duration = Duration::from_secs(10);

/// Why the watcher could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {root} for reports: {message}")]
pub struct WatchError {
    pub root: PathBuf,
    pub message: String,
}

/// A running watcher. Batches of changed report paths (existing files, sorted, deduplicated)
/// arrive on the receiver returned by [`ReportWatcher::new`]. Dropping it stops watching.
pub struct ReportWatcher {
    watcher: Arc<Mutex<Option<RecommendedWatcher>>>,
    stop: Arc<AtomicBool>,
    root: PathBuf,
}

impl std::fmt::Debug for ReportWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportWatcher").field("root", &self.root).finish_non_exhaustive()
    }
}

impl ReportWatcher {
    /// Watches `root` for files matching `globs`, debounced by [`DEBOUNCE`].
    pub fn new(root: &Path, globs: &[String]) -> Result<(ReportWatcher, mpsc::UnboundedReceiver<Vec<PathBuf>>), WatchError> {
        Self::with_debounce(root, globs, DEBOUNCE)
    }

    /// Like [`new`](Self::new) with another quiet time.
    pub fn with_debounce(
        root: &Path,
        globs: &[String],
        debounce: Duration,
    ) -> Result<(ReportWatcher, mpsc::UnboundedReceiver<Vec<PathBuf>>), WatchError> {
        let root = std::fs::canonicalize(root).map_err(|e| WatchError { root: root.to_path_buf(), message: e.to_string() })?;
        let (matcher, _) = ReportMatcher::new(&root, globs);
        let (raw_tx, raw_rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
        let watcher = notify::recommended_watcher(raw_tx)
            .map_err(|e| WatchError { root: root.clone(), message: e.to_string() })?;
        let watcher = Arc::new(Mutex::new(Some(watcher)));
        let mut initial = Vec::new();
        add_watches(&watcher, &matcher, &root, &mut initial);
        if initial.is_empty() {
            return Err(WatchError { root, message: "no directory could be watched".into() });
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_state = (watcher.clone(), stop.clone(), matcher);
        std::thread::Builder::new()
            .name("argus-report-watch".into())
            .spawn(move || {
                let (watcher, stop, matcher) = thread_state;
                debounce_loop(raw_rx, tx, &watcher, &stop, &matcher, debounce);
            })
            .map_err(|e| WatchError { root: root.clone(), message: e.to_string() })?;
        Ok((ReportWatcher { watcher, stop, root }, rx))
    }

    /// The canonical root being watched.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Drop for ReportWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let w = self.watcher.lock().map(|mut g| g.take()).unwrap_or(None);
        drop(w);
    }
}

/// Watches `dir` and every non-skipped directory below it; returns the directories watched
/// in `watched`.
fn add_watches(watcher: &Mutex<Option<RecommendedWatcher>>, matcher: &ReportMatcher, dir: &Path, watched: &mut Vec<PathBuf>) {
    let m = matcher.clone();
    let dirs = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            is_dir && !(e.depth() > 0 && m.is_skipped_dir(&e.file_name().to_string_lossy()))
        })
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path());
    let Ok(mut guard) = watcher.lock() else { return };
    let Some(w) = guard.as_mut() else { return };
    for d in dirs {
        match w.watch(&d, RecursiveMode::NonRecursive) {
            Ok(()) => watched.push(d),
            Err(e) => tracing::debug!("cannot watch {}: {e}", d.display()),
        }
    }
}

fn debounce_loop(
    raw: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    tx: mpsc::UnboundedSender<Vec<PathBuf>>,
    watcher: &Mutex<Option<RecommendedWatcher>>,
    stop: &AtomicBool,
    matcher: &ReportMatcher,
    debounce: Duration,
) {
    let tick = (debounce / 3).clamp(Duration::from_millis(10), Duration::from_millis(100));
    let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
    let mut first: Option<Instant> = None;
    let mut last = Instant::now();
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match raw.recv_timeout(tick) {
            Ok(Ok(event)) => {
                if matches!(event.kind, EventKind::Access(_) | EventKind::Remove(_)) {
                    continue;
                }
                for path in event.paths {
                    if path.is_dir() {
                        if path.starts_with(matcher.root())
                            && !path
                                .strip_prefix(matcher.root())
                                .map(|rel| rel.components().any(|c| matcher.is_skipped_dir(&c.as_os_str().to_string_lossy())))
                                .unwrap_or(true)
                        {
                            let mut watched = Vec::new();
                            add_watches(watcher, matcher, &path, &mut watched);
                            // Reports written before the watch was in place.
                            pending.extend(discover_with(matcher, &path));
                        }
                    } else if matcher.matches(&path) {
                        pending.insert(path);
                    }
                }
                if !pending.is_empty() {
                    first.get_or_insert_with(Instant::now);
                    last = Instant::now();
                }
            }
            Ok(Err(e)) => tracing::debug!("report watcher: {e}"),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        }
        let due = first.is_some_and(|f| last.elapsed() >= debounce || f.elapsed() >= MAX_WAIT);
        if due {
            let batch: Vec<PathBuf> = std::mem::take(&mut pending).into_iter().filter(|p| p.is_file()).collect();
            first = None;
            if !batch.is_empty() && tx.send(batch).is_err() {
                return;
            }
        }
    }
}
