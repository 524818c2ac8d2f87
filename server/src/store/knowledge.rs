//! The healing knowledge base: healing patterns (ARGUS-API.md schema, field names exact),
//! element fingerprints recorded from validated pages, and learned durations per selector.
//!
//! Trees:
//! - `patterns`: pattern `fingerprint` → [`HealingPattern`] as JSON.
//! - `patterns_by_selector`: `original_selector` ++ `\0` ++ fingerprint → (): the same broken
//!   selector healed in any test, any language, under any error type.
//! - `elements`: selector ++ `\0` ++ page URL → the element fingerprint as JSON (what
//!   `heal/` records; opaque here).
//! - `durations`: selector → the last 20 observed durations (ms), oldest first, as JSON.
//!
//! Every write is flushed before it returns `Ok`.

use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::time::{now_millis, rfc3339};
use super::{Store, StoreError};

/// Durations kept per selector (ARGUS-API.md: the last 20).
pub const DURATIONS_KEPT: usize = 20;

fn null_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A healing pattern, as the Argus backend serves it and as argus keeps its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealingPattern {
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub fingerprint: String,
    #[serde(deserialize_with = "null_default")]
    pub original_selector: String,
    #[serde(deserialize_with = "null_default")]
    pub healed_selector: String,
    pub error_type: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub success_count: u64,
    #[serde(deserialize_with = "null_default")]
    pub failure_count: u64,
    #[serde(deserialize_with = "null_default")]
    pub confidence: f64,
    pub project_id: Option<String>,
    pub created_at: Option<String>,
    pub page_url: Option<String>,
    pub element_context: Option<serde_json::Value>,
    /// When a heal was last applied or seen failing (local patterns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// ARGUS-API.md: the pattern fingerprint is a hash of the selector and the error type
/// (`sha256("<selector>|<error_type>")`, first 16 hex characters).
pub fn pattern_fingerprint(selector: &str, error_type: Option<&str>) -> String {
    let digest = Sha256::digest(format!("{selector}|{}", error_type.unwrap_or("")).as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// What applying a heal turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealOutcome {
    /// Applied and held (the test passed, or the user kept it).
    Success,
    /// Rejected, or seen failing again later.
    Failure,
}

/// A heal to record: the broken selector, what replaced it, and where.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealRecord<'a> {
    pub original_selector: &'a str,
    pub healed_selector: &'a str,
    pub error_type: Option<&'a str>,
    pub page_url: Option<&'a str>,
    pub element_context: Option<serde_json::Value>,
}

/// Learned durations of a selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Learned {
    pub samples: usize,
    pub p50: u64,
    pub p95: u64,
}

impl Store {
    /// Record a heal's outcome: creates the pattern or counts on it; `confidence` =
    /// success / max(success + failure, 1). Returns the pattern as stored (flushed).
    pub fn record_heal(&self, heal: &HealRecord, outcome: HealOutcome) -> Result<HealingPattern, StoreError> {
        let fp = pattern_fingerprint(heal.original_selector, heal.error_type);
        let now = rfc3339(now_millis());
        let index_key = [heal.original_selector.as_bytes(), b"\0", fp.as_bytes()].concat();
        let result = (&self.patterns, &self.patterns_by_selector).transaction(|(patterns, index)| {
            let mut p = match patterns.get(fp.as_bytes())? {
                Some(v) => serde_json::from_slice::<HealingPattern>(&v).map_err(|e| ConflictableTransactionError::Abort(e.to_string()))?,
                None => HealingPattern {
                    id: format!("local-{fp}"),
                    fingerprint: fp.clone(),
                    original_selector: heal.original_selector.to_string(),
                    error_type: heal.error_type.map(str::to_string),
                    created_at: Some(now.clone()),
                    ..Default::default()
                },
            };
            if p.healed_selector != heal.healed_selector && outcome == HealOutcome::Success {
                // A new heal for the same breakage replaces the old one; its counts start over.
                if !p.healed_selector.is_empty() {
                    p.success_count = 0;
                    p.failure_count = 0;
                }
                p.healed_selector = heal.healed_selector.to_string();
            }
            match outcome {
                HealOutcome::Success => p.success_count += 1,
                HealOutcome::Failure => p.failure_count += 1,
            }
            p.confidence = p.success_count as f64 / (p.success_count + p.failure_count).max(1) as f64;
            if let Some(url) = heal.page_url {
                p.page_url = Some(url.to_string());
            }
            if let Some(ctx) = &heal.element_context {
                p.element_context = Some(ctx.clone());
            }
            p.updated_at = Some(now.clone());
            let bytes = serde_json::to_vec(&p).map_err(|e| ConflictableTransactionError::Abort(e.to_string()))?;
            patterns.insert(fp.as_bytes(), bytes)?;
            index.insert(index_key.as_slice(), &[][..])?;
            Ok(p)
        });
        let pattern = result.map_err(|e| match e {
            sled::transaction::TransactionError::Abort(m) => self.corrupt("patterns", &m),
            sled::transaction::TransactionError::Storage(e) => self.io(e),
        })?;
        self.flush()?;
        Ok(pattern)
    }

    /// The pattern for exactly this breakage (selector + error type).
    pub fn pattern(&self, selector: &str, error_type: Option<&str>) -> Result<Option<HealingPattern>, StoreError> {
        let fp = pattern_fingerprint(selector, error_type);
        self.patterns.get(fp.as_bytes()).map_err(|e| self.io(e))?.map(|v| self.decode_pattern(&v)).transpose()
    }

    /// Every pattern that healed `selector`, under any error type, in any test: the most
    /// trusted first.
    pub fn patterns_for_selector(&self, selector: &str) -> Result<Vec<HealingPattern>, StoreError> {
        let prefix = [selector.as_bytes(), b"\0"].concat();
        let mut out = Vec::new();
        for item in self.patterns_by_selector.scan_prefix(&prefix) {
            let (k, _) = item.map_err(|e| self.io(e))?;
            let fp = &k[prefix.len()..];
            if let Some(v) = self.patterns.get(fp).map_err(|e| self.io(e))? {
                let p = self.decode_pattern(&v)?;
                if !p.healed_selector.is_empty() {
                    out.push(p);
                }
            }
        }
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(b.success_count.cmp(&a.success_count)));
        Ok(out)
    }

    /// Every local pattern.
    pub fn patterns(&self) -> Result<Vec<HealingPattern>, StoreError> {
        self.patterns.iter().map(|item| item.map_err(|e| self.io(e)).and_then(|(_, v)| self.decode_pattern(&v))).collect()
    }

    /// Keep the element fingerprint `selector` matched on `page_url` (flushed).
    pub fn put_element(&self, selector: &str, page_url: &str, fingerprint: &serde_json::Value) -> Result<(), StoreError> {
        let key = [selector.as_bytes(), b"\0", page_url.as_bytes()].concat();
        let bytes = serde_json::to_vec(fingerprint).map_err(|e| self.corrupt("elements", &e.to_string()))?;
        self.elements.insert(key, bytes).map_err(|e| self.io(e))?;
        self.flush()
    }

    /// The element fingerprints recorded for `selector`: (page URL, fingerprint).
    pub fn elements(&self, selector: &str) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let prefix = [selector.as_bytes(), b"\0"].concat();
        let mut out = Vec::new();
        for item in self.elements.scan_prefix(&prefix) {
            let (k, v) = item.map_err(|e| self.io(e))?;
            let url = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
            let value = serde_json::from_slice(&v).map_err(|e| self.corrupt("elements", &e.to_string()))?;
            out.push((url, value));
        }
        Ok(out)
    }

    /// Observe how long `selector` took (ms); the last [`DURATIONS_KEPT`] are kept.
    pub fn record_duration(&self, selector: &str, ms: u64) -> Result<(), StoreError> {
        let updated = self
            .durations
            .update_and_fetch(selector.as_bytes(), |old| {
                let mut v: Vec<u64> = old.and_then(|b| serde_json::from_slice(b).ok()).unwrap_or_default();
                v.push(ms);
                let n = v.len();
                v.drain(..n.saturating_sub(DURATIONS_KEPT));
                serde_json::to_vec(&v).ok()
            })
            .map_err(|e| self.io(e))?;
        debug_assert!(updated.is_some());
        self.flush()
    }

    /// The durations observed for `selector`, oldest first.
    pub fn durations(&self, selector: &str) -> Result<Vec<u64>, StoreError> {
        match self.durations.get(selector.as_bytes()).map_err(|e| self.io(e))? {
            Some(v) => serde_json::from_slice(&v).map_err(|e| self.corrupt("durations", &e.to_string())),
            None => Ok(Vec::new()),
        }
    }

    /// p50 and p95 of what was observed for `selector` (None when nothing was).
    pub fn learned(&self, selector: &str) -> Result<Option<Learned>, StoreError> {
        let mut d = self.durations(selector)?;
        if d.is_empty() {
            return Ok(None);
        }
        d.sort_unstable();
        let at = |q: f64| d[(((d.len() as f64) * q).ceil() as usize).clamp(1, d.len()) - 1];
        Ok(Some(Learned { samples: d.len(), p50: at(0.5), p95: at(0.95) }))
    }

    /// Checks every pattern decodes and is indexed; returns how many there are.
    pub fn verify_patterns(&self) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.patterns.iter() {
            let (_, v) = item.map_err(|e| self.io(e))?;
            let p = self.decode_pattern(&v)?;
            let key = [p.original_selector.as_bytes(), b"\0", p.fingerprint.as_bytes()].concat();
            if !self.patterns_by_selector.contains_key(key).map_err(|e| self.io(e))? {
                return Err(self.corrupt("patterns_by_selector", &format!("pattern {} is not indexed", p.fingerprint)));
            }
            n += 1;
        }
        Ok(n)
    }

    fn decode_pattern(&self, bytes: &[u8]) -> Result<HealingPattern, StoreError> {
        serde_json::from_slice(bytes).map_err(|e| self.corrupt("patterns", &e.to_string()))
    }
}
