//! `Config`: one struct for `argus.toml` and the client's settings.
//!
//! Pure: parsing takes text and returns a config plus warnings, or an error naming
//! `file:line:column`. Reading the file is the workspace's job.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Severity of a diagnostic; `off` disables a lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Per-lint severities, keyed by lint code (`hard-wait`, `positional-selector`, …).
/// Codes not listed keep their default severity.
pub type LintLevels = BTreeMap<String, Severity>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct Config {
    /// `argus-lsp check` exits 1 when a diagnostic reaches this severity (`off`: never).
    pub fail_level: Severity,
    /// tracing filter for the server's stderr log, e.g. `info` or `argus_lsp=debug`.
    /// `ARGUS_LOG` wins when set.
    pub log_level: String,
    /// Files larger than this many bytes are skipped (and reported as skipped).
    pub max_file_size: u64,
    /// Extra gitignore-style globs to leave out of the index (`.gitignore`, `node_modules`
    /// and build output are always left out).
    pub exclude: Vec<String>,
    /// Severity per lint code; see the README's lint table.
    pub lints: LintLevels,
    /// Base URL of the lint documentation; each code links to `<docs_url>#<code>`.
    pub docs_url: String,
    /// Lint thresholds.
    pub selectors: SelectorRules,
    /// CI reports read from disk.
    pub reports: ReportSources,
    /// The Argus backend (optional).
    pub backend: Backend,
    /// Where argus keeps what it learns (failure history, backend cache).
    pub store: Store,
    /// The headless browser that validates heals.
    pub browser: Browser,
    /// Healing by DOM similarity.
    pub heal: Heal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct Browser {
    /// The chromedriver binary argus starts itself (a name on PATH or a path). Never downloaded.
    pub chromedriver: String,
    /// The Chromium/Chrome binary; empty: the first of chromium, chromium-browser,
    /// google-chrome on PATH, else chromedriver's own choice.
    pub chromium: String,
    /// Joined with relative navigations (`page.goto('/cart')`); empty: `baseURL` from
    /// playwright.config.* when there is one.
    pub base_url: String,
    /// Hosts (`localhost`: any port) or origins (`https://staging.example.com`) the browser
    /// may visit; the base URL's origin is always added. Anything else is refused.
    pub allowed_origins: Vec<String>,
    /// Page load and script timeout, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for Browser {
    fn default() -> Self {
        Browser {
            chromedriver: "chromedriver".into(),
            chromium: String::new(),
            base_url: String::new(),
            allowed_origins: vec!["localhost".into(), "127.0.0.1".into()],
            timeout_ms: 15_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct Heal {
    /// Elements less similar than this (0–1, Healenium's score) to the recorded one are
    /// never candidates.
    pub similarity_cutoff: f64,
}

impl Default for Heal {
    fn default() -> Self {
        Heal { similarity_cutoff: 0.6 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct ReportSources {
    /// Globs, relative to the workspace root, of Playwright JSON and JUnit XML reports.
    pub globs: Vec<String>,
    /// Runs of history kept per test (failure rate, flakiness, risk are over this window).
    pub history: usize,
    /// Report files larger than this many bytes are refused (they are streamed, never held whole).
    pub max_size: u64,
}

impl Default for ReportSources {
    fn default() -> Self {
        ReportSources {
            globs: [
                "playwright-report/**/*.json",
                "test-results/**/*.json",
                "**/junit*.xml",
                "reports/**/*.xml",
                "reports/**/*.json",
                ".argus/reports/**",
            ]
            .map(String::from)
            .to_vec(),
            history: 20,
            max_size: 2 * 1024 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct Backend {
    /// Base URL, e.g. `https://argus.example.com`; empty: no backend.
    pub url: String,
    /// Name of the environment variable holding the token (never the token itself).
    pub token_env: String,
    pub organization_id: String,
    pub project_id: String,
    /// Only builds of this branch (empty: all).
    pub branch: String,
    /// Seconds between polls.
    pub poll_seconds: u64,
}

impl Default for Backend {
    fn default() -> Self {
        Backend {
            url: String::new(),
            token_env: "ARGUS_API_TOKEN".into(),
            organization_id: String::new(),
            project_id: String::new(),
            branch: String::new(),
            poll_seconds: 300,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct Store {
    /// Directory of the store; empty: the platform cache directory, one store per workspace.
    pub dir: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct SelectorRules {
    /// CSS descendant chains with more combinators than this are `deep-selector`.
    pub max_combinators: usize,
    /// Text selectors longer than this many characters are `long-text-selector`.
    pub max_text_length: usize,
    /// The test-id attribute the project uses (Playwright's `testIdAttribute`).
    pub test_id_attribute: String,
}

impl Default for SelectorRules {
    fn default() -> Self {
        SelectorRules { max_combinators: 3, max_text_length: 80, test_id_attribute: "data-testid".into() }
    }
}

pub const DEFAULT_DOCS_URL: &str =
    "https://github.com/argus-lsp/argus-lsp/blob/main/server/docs/lints.md";

impl Default for Config {
    fn default() -> Self {
        Config {
            fail_level: Severity::Error,
            log_level: "info".into(),
            max_file_size: 10 * 1024 * 1024,
            exclude: Vec::new(),
            lints: LintLevels::new(),
            docs_url: DEFAULT_DOCS_URL.into(),
            selectors: SelectorRules::default(),
            reports: ReportSources::default(),
            backend: Backend::default(),
            store: Store::default(),
            browser: Browser::default(),
            heal: Heal::default(),
        }
    }
}

/// A config value that could not be used. `Display` names the source and position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{source_name}{}: {message}", location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct ConfigError {
    pub source_name: String,
    /// 1-based line and column, when known.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

/// A config that parsed, with warnings about keys that were ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

impl Config {
    /// Parse `argus.toml` text. `source_name` names the file in messages.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Loaded, ConfigError> {
        let mut unknown = Vec::new();
        let de = toml::Deserializer::parse(text).map_err(|e| toml_error(e, text, source_name))?;
        let config: Config = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
            .map_err(|e| toml_error(e, text, source_name))?;
        let mut warnings = unknown_warnings(source_name, &unknown);
        warnings.extend(config.check_lint_codes(source_name));
        Ok(Loaded { config, warnings })
    }

    /// Apply client settings (`initializationOptions`, `didChangeConfiguration`) over this
    /// config: keys present in `settings` win, others keep their value.
    pub fn merged_with_json(&self, settings: &serde_json::Value, source_name: &str) -> Result<Loaded, ConfigError> {
        let mut base = serde_json::to_value(self).expect("Config serializes");
        merge_json(&mut base, settings);
        let mut unknown = Vec::new();
        let config: Config = serde_ignored::deserialize(base, |path| unknown.push(path.to_string()))
            .map_err(|e| ConfigError { source_name: source_name.into(), location: None, message: e.to_string() })?;
        let mut warnings = unknown_warnings(source_name, &unknown);
        warnings.extend(config.check_lint_codes(source_name));
        Ok(Loaded { config, warnings })
    }

    fn check_lint_codes(&self, source_name: &str) -> Vec<String> {
        self.lints
            .keys()
            .filter(|code| !crate::analysis::LintCode::ALL.iter().any(|c| c.as_str() == code.as_str()))
            .map(|code| format!("{source_name}: unknown lint code `lints.{code}` ignored"))
            .collect()
    }
}

fn unknown_warnings(source_name: &str, unknown: &[String]) -> Vec<String> {
    unknown.iter().map(|key| format!("{source_name}: unknown key `{key}` ignored")).collect()
}

fn toml_error(e: toml::de::Error, text: &str, source_name: &str) -> ConfigError {
    let location = e.span().map(|span| line_col(text, span.start));
    ConfigError { source_name: source_name.into(), location, message: e.message().to_string() }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn merge_json(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => merge_json(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_default() {
        let loaded = Config::from_toml("", "argus.toml").unwrap();
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn reads_every_section() {
        let text = r#"
fail_level = "warning"
exclude = ["vendor/**"]
[lints]
hard-wait = "error"
deep-selector = "off"
[selectors]
max_combinators = 5
"#;
        let c = Config::from_toml(text, "argus.toml").unwrap().config;
        assert_eq!(c.fail_level, Severity::Warning);
        assert_eq!(c.exclude, vec!["vendor/**"]);
        assert_eq!(c.lints["hard-wait"], Severity::Error);
        assert_eq!(c.lints["deep-selector"], Severity::Off);
        assert_eq!(c.selectors.max_combinators, 5);
        assert_eq!(c.selectors.max_text_length, 80, "unset keys keep defaults");
    }

    #[test]
    fn unknown_keys_and_lint_codes_are_warnings_naming_them() {
        let text = "colour = 1\n[selectors]\nmax_depth = 2\n[lints]\nno-such-lint = \"error\"\n";
        let loaded = Config::from_toml(text, "argus.toml").unwrap();
        assert_eq!(
            loaded.warnings,
            vec![
                "argus.toml: unknown key `colour` ignored",
                "argus.toml: unknown key `selectors.max_depth` ignored",
                "argus.toml: unknown lint code `lints.no-such-lint` ignored",
            ]
        );
    }

    #[test]
    fn invalid_values_name_file_line_and_column() {
        let err = Config::from_toml("log_level = \"info\"\nfail_level = \"loud\"\n", "/w/argus.toml").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(2), "{err}");
        let shown = err.to_string();
        assert!(shown.starts_with("/w/argus.toml:2:"), "{shown}");
        assert!(shown.contains("loud"), "{shown}");
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let err = Config::from_toml("[lints\n", "argus.toml").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(1), "{err}");
    }

    #[test]
    fn client_settings_override_file_values_key_by_key() {
        let file = Config::from_toml("fail_level = \"warning\"\n[lints]\nhard-wait = \"error\"\n", "argus.toml")
            .unwrap()
            .config;
        let settings = serde_json::json!({"lints": {"focused-test": "warning"}, "max_file_size": 10});
        let merged = file.merged_with_json(&settings, "initializationOptions").unwrap();
        assert_eq!(merged.config.fail_level, Severity::Warning);
        assert_eq!(merged.config.lints["hard-wait"], Severity::Error);
        assert_eq!(merged.config.lints["focused-test"], Severity::Warning);
        assert_eq!(merged.config.max_file_size, 10);
        let bad = file.merged_with_json(&serde_json::json!({"fail_level": 3}), "initializationOptions");
        assert!(bad.unwrap_err().to_string().starts_with("initializationOptions: "));
    }
}
