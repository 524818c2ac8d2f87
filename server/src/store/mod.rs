//! The embedded store: one sled database per workspace.
//!
//! What lives here: the failure history (runs, each recorded once), the backend's cached
//! responses and ETags, and sync cursors. A write is acknowledged (`Ok`) only after the
//! database has been flushed to disk, so an acknowledged write survives a crash.
//!
//! Trees:
//! - `meta`: `schema_version` (u32, big endian).
//! - `runs`: `<start millis, order-preserving>` ++ `<seq u64 BE>` → `Run` as JSON. Iterating
//!   backwards gives the newest run first (by start time, then insertion order).
//! - `run_keys`: `Run::key` → the `runs` key. Entries stay after the run itself is pruned,
//!   so a report still on disk is not recorded a second time.
//! - `cache`: backend responses and ETags (opaque bytes).
//! - `cursors`: named sync positions (strings).

mod knowledge;
mod time;

pub use knowledge::{DURATIONS_KEPT, HealOutcome, HealRecord, HealingPattern, Learned, pattern_fingerprint};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use crate::failures::{FailureEvent, Run};

pub use crate::failures::parse_rfc3339_millis;

/// The schema this build writes. Bump it and extend [`migrate`] when the layout changes.
pub const SCHEMA_VERSION: u32 = 2;

const SCHEMA_KEY: &[u8] = b"schema_version";

/// Why a store operation failed. Every message names the store's directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the argus store at {dir}: {source} (is another argus-lsp using it? set `store.dir` to use another directory)")]
    Open { dir: PathBuf, source: sled::Error },
    #[error("argus store at {dir}: {source}")]
    Io { dir: PathBuf, source: sled::Error },
    #[error("argus store at {dir} has schema version {found}, newer than this argus-lsp understands ({supported}); upgrade argus-lsp or set `store.dir` to another directory")]
    TooNew { dir: PathBuf, found: u32, supported: u32 },
    #[error("argus store at {dir}: corrupt entry in `{tree}`: {message}")]
    Corrupt { dir: PathBuf, tree: &'static str, message: String },
}

/// Handle on a workspace's store. Cheap to clone (the database is shared).
#[derive(Clone)]
pub struct Store {
    dir: PathBuf,
    db: sled::Db,
    meta: sled::Tree,
    runs: sled::Tree,
    run_keys: sled::Tree,
    cache: sled::Tree,
    cursors: sled::Tree,
    patterns: sled::Tree,
    patterns_by_selector: sled::Tree,
    elements: sled::Tree,
    durations: sled::Tree,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// sled's lock is held until the last handle's background flusher lets go, which happens a
/// moment after a previous owner dropped it (a restarted server, a reopened test store): wait
/// up to two seconds for it rather than fail.
fn open_db(dir: &Path) -> sled::Result<sled::Db> {
    let mut attempts = 0;
    loop {
        match sled::Config::new().path(dir).open() {
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") && attempts < 40 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            result => return result,
        }
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, checking and migrating its schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open { dir: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(|e| open_err(sled::Error::Io(e)))?;
        let db = open_db(dir).map_err(open_err)?;
        let tree = |name: &str| db.open_tree(name).map_err(open_err);
        let store = Store {
            dir: dir.to_path_buf(),
            meta: tree("meta")?,
            runs: tree("runs")?,
            run_keys: tree("run_keys")?,
            cache: tree("cache")?,
            cursors: tree("cursors")?,
            patterns: tree("patterns")?,
            patterns_by_selector: tree("patterns_by_selector")?,
            elements: tree("elements")?,
            durations: tree("durations")?,
            db,
        };
        let found = match store.meta.get(SCHEMA_KEY).map_err(|e| store.io(e))? {
            Some(v) => {
                let bytes: [u8; 4] = v.as_ref().try_into().map_err(|_| store.corrupt("meta", "schema_version is not 4 bytes"))?;
                u32::from_be_bytes(bytes)
            }
            // A fresh database is at the current version; one with data but no version key
            // predates versioning (0).
            None if store.runs.is_empty() && store.cache.is_empty() && store.cursors.is_empty() => SCHEMA_VERSION,
            None => 0,
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { dir: dir.to_path_buf(), found, supported: SCHEMA_VERSION });
        }
        migrate(&store, found)?;
        store.meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes()).map_err(|e| store.io(e))?;
        store.flush()?;
        Ok(store)
    }

    /// The store directory for a workspace: `configured` when non-empty (relative paths are
    /// taken from the workspace root), else `<platform cache dir>/argus-lsp/<16 hex chars of
    /// sha256(canonical root)>`.
    pub fn dir_for_workspace(root: &Path, configured: &str) -> PathBuf {
        let configured = configured.trim();
        if !configured.is_empty() {
            let p = PathBuf::from(configured);
            return if p.is_absolute() { p } else { root.join(p) };
        }
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
        let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let base = dirs::cache_dir().unwrap_or_else(std::env::temp_dir);
        base.join("argus-lsp").join(hash)
    }

    /// The directory this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The schema version on disk (after migration: [`SCHEMA_VERSION`]).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let v = self.meta.get(SCHEMA_KEY).map_err(|e| self.io(e))?;
        let v = v.ok_or_else(|| self.corrupt("meta", "schema_version missing"))?;
        let bytes: [u8; 4] = v.as_ref().try_into().map_err(|_| self.corrupt("meta", "schema_version is not 4 bytes"))?;
        Ok(u32::from_be_bytes(bytes))
    }

    /// Records a run. Returns false (and writes nothing) when a run with the same key was
    /// recorded before, even if it has been pruned since. Returns only once flushed.
    pub fn record_run(&self, run: &Run) -> Result<bool, StoreError> {
        let value = serde_json::to_vec(run).map_err(|e| self.corrupt("runs", &e.to_string()))?;
        let seq = self.db.generate_id().map_err(|e| self.io(e))?;
        let millis = run.started_at().and_then(parse_rfc3339_millis).unwrap_or_else(time::now_millis);
        let row_key = run_row_key(millis, seq);
        let result = (&self.runs, &self.run_keys).transaction(|(runs, keys)| {
            if keys.get(run.key.as_bytes())?.is_some() {
                return Err(ConflictableTransactionError::Abort(()));
            }
            keys.insert(run.key.as_bytes(), &row_key[..])?;
            runs.insert(&row_key[..], value.as_slice())?;
            Ok(())
        });
        match result {
            Ok(()) => {
                self.flush()?;
                Ok(true)
            }
            Err(TransactionError::Abort(())) => Ok(false),
            Err(TransactionError::Storage(e)) => Err(self.io(e)),
        }
    }

    /// Whether a run with this key was ever recorded (pruned ones included).
    pub fn has_run(&self, key: &str) -> Result<bool, StoreError> {
        self.run_keys.contains_key(key.as_bytes()).map_err(|e| self.io(e))
    }

    /// Up to `limit` runs, newest first (by start time, then insertion order). A run without
    /// a start time counts as started when it was recorded.
    pub fn runs(&self, limit: usize) -> Result<Vec<Run>, StoreError> {
        let mut out = Vec::new();
        for item in self.runs.iter().rev() {
            if out.len() >= limit {
                break;
            }
            let (_, v) = item.map_err(|e| self.io(e))?;
            out.push(self.decode_run(&v)?);
        }
        Ok(out)
    }

    /// Number of runs held (pruned ones not counted).
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// Keeps the runs that hold one of the last `keep_per_test` outcomes of any test and drops
    /// the others. Returns how many runs were dropped. Their keys are kept, so they are not
    /// recorded again.
    pub fn prune(&self, keep_per_test: usize) -> Result<usize, StoreError> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut drop = Vec::new();
        for item in self.runs.iter().rev() {
            let (k, v) = item.map_err(|e| self.io(e))?;
            let run = self.decode_run(&v)?;
            let mut tests: Vec<String> = run.events.iter().map(test_identity).collect();
            tests.sort();
            tests.dedup();
            let mut keep = false;
            for t in tests {
                let n = seen.entry(t).or_insert(0);
                if *n < keep_per_test {
                    keep = true;
                }
                *n += 1;
            }
            if !keep {
                drop.push(k);
            }
        }
        if drop.is_empty() {
            return Ok(0);
        }
        let mut batch = sled::Batch::default();
        for k in &drop {
            batch.remove(k.clone());
        }
        self.runs.apply_batch(batch).map_err(|e| self.io(e))?;
        self.flush()?;
        Ok(drop.len())
    }

    /// A cached value (backend response body, ETag, …).
    pub fn cache_get(&self, key: &str) -> Option<Vec<u8>> {
        self.cache.get(key.as_bytes()).ok().flatten().map(|v| v.to_vec())
    }

    /// Stores a cached value; returns once flushed.
    pub fn cache_put(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.cache.insert(key.as_bytes(), value).map_err(|e| self.io(e))?;
        self.flush()
    }

    /// A named sync cursor.
    pub fn cursor(&self, name: &str) -> Option<String> {
        let v = self.cursors.get(name.as_bytes()).ok().flatten()?;
        String::from_utf8(v.to_vec()).ok()
    }

    /// Sets a named sync cursor; returns once flushed.
    pub fn set_cursor(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.cursors.insert(name.as_bytes(), value.as_bytes()).map_err(|e| self.io(e))?;
        self.flush()
    }

    /// Flushes everything written so far to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(|e| self.io(e))
    }

    /// Checks every stored run decodes and every key points at a run or a pruned slot;
    /// returns the number of runs. Used by the crash tests and `argus-lsp doctor`-like checks.
    pub fn verify(&self) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.runs.iter() {
            let (_, v) = item.map_err(|e| self.io(e))?;
            let run = self.decode_run(&v)?;
            let row = self.run_keys.get(run.key.as_bytes()).map_err(|e| self.io(e))?;
            if row.is_none() {
                return Err(self.corrupt("run_keys", &format!("run {} has no key entry", run.key)));
            }
            n += 1;
        }
        Ok(n)
    }

    fn decode_run(&self, bytes: &[u8]) -> Result<Run, StoreError> {
        serde_json::from_slice(bytes).map_err(|e| self.corrupt("runs", &e.to_string()))
    }

    fn io(&self, source: sled::Error) -> StoreError {
        StoreError::Io { dir: self.dir.clone(), source }
    }

    fn corrupt(&self, tree: &'static str, message: &str) -> StoreError {
        StoreError::Corrupt { dir: self.dir.clone(), tree, message: message.to_string() }
    }
}

/// Migration hook: brings a store at schema `from` up to [`SCHEMA_VERSION`], one step at a
/// time.
/// - 0 → 1: version 0 had no version key; its runs are re-checked so a layout change shows
///   up as a clear error instead of wrong history.
/// - 1 → 2: the knowledge base (patterns, their selector index, elements, durations) arrives;
///   its trees are created empty on open, and a 1 has nothing in them to convert.
fn migrate(store: &Store, from: u32) -> Result<(), StoreError> {
    if from == 0 && !store.runs.is_empty() {
        store.verify()?;
    }
    if from <= 1 && !store.patterns.is_empty() {
        return Err(store.corrupt("patterns", "a version-1 store has patterns, which version 1 never wrote"));
    }
    Ok(())
}

/// The identity of a test across runs: file, classname and title path (or name).
pub fn test_identity(e: &FailureEvent) -> String {
    let file = e.file.as_deref().or(e.resolved_file.as_deref()).unwrap_or("");
    let class = e.classname.as_deref().unwrap_or("");
    let title = if e.title_path.is_empty() { e.name.clone() } else { e.title_path.join(" › ") };
    let project = e.project.as_deref().unwrap_or("");
    format!("{file}\u{1f}{class}\u{1f}{title}\u{1f}{project}")
}

fn run_row_key(millis: i64, seq: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&((millis as u64) ^ (1 << 63)).to_be_bytes());
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}
