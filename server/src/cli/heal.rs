//! `argus-lsp heal --selector SEL --url URL [--snapshot FILE] [--workspace DIR] --format json`:
//! candidates for a broken locator, validated in headless Chromium, best first. Exit 0 when
//! one is validated, 1 when none is.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::{EXIT_FINDINGS, HealFormat, files};
use crate::browser::{Browser, BrowserSettings};
use crate::config::Config;
use crate::heal::{self, Candidate, Fingerprint, HealSettings, Style, selector};
use crate::sources::BackendClient;
use crate::store::Store;
use crate::workspace::candidates::{self, Broken, Sources};

#[derive(Serialize)]
struct Report<'a> {
    selector: &'a str,
    url: &'a str,
    candidates: &'a [Candidate],
}

pub struct Args<'a> {
    pub selector: &'a str,
    pub url: &'a str,
    pub snapshot: Option<&'a Path>,
    pub workspace: Option<&'a Path>,
    pub style: Style,
    pub format: HealFormat,
}

pub fn run(config_path: Option<&Path>, args: Args) -> anyhow::Result<u8> {
    let parsed = selector::parse(args.selector).map_err(|e| anyhow::anyhow!("--selector: {e}"))?;
    let recorded: Option<Fingerprint> = match args.snapshot {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
            Some(serde_json::from_str(&text).with_context(|| format!("{}: not a fingerprint from `argus-lsp snapshot`", path.display()))?)
        }
        None => None,
    };
    let (config, mut browser, runtime) = page_setup(config_path, args.workspace)?;
    let settings = HealSettings {
        cutoff: config.heal.similarity_cutoff,
        test_id_attribute: config.selectors.test_id_attribute.clone(),
        ..HealSettings::default()
    };
    // The other sources: the workspace's knowledge base (when no server holds it), the
    // backend when configured, the git history of the workspace (or the current directory).
    let store = args.workspace.map(|w| Store::dir_for_workspace(w, &config.store.dir)).filter(|d| d.exists()).and_then(|d| match Store::open(&d) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("argus-lsp: knowledge base not used: {e}");
            None
        }
    });
    let client = BackendClient::from_config(&config.backend).map_err(|e| anyhow::anyhow!("backend: {e}"))?;
    let cwd = std::env::current_dir().ok();
    let repository = args.workspace.map(Path::to_path_buf).or(cwd);
    let broken = Broken {
        selector: &parsed,
        written: args.selector,
        style: args.style,
        test_id_attribute: &settings.test_id_attribute,
        error_type: None,
        message: None,
    };
    let sources = Sources { store: store.as_ref(), backend: client.as_ref(), repository: repository.as_deref() };
    let (outcome, source_notes) = runtime.block_on(async {
        let (healed, (others, notes)) =
            tokio::join!(heal::heal(&mut browser, args.url, &parsed, recorded.as_ref(), args.style, &settings), candidates::proposals(&sources, &broken));
        let healed = match healed {
            Ok(mut h) => {
                let reference = recorded.clone().or_else(|| h.reference.clone());
                heal::add_proposals(&mut browser, &mut h, others, reference.as_ref()).await.map(|()| h)
            }
            Err(e) => Err(e),
        };
        browser.shutdown().await;
        (healed, notes)
    });
    let outcome = outcome?;
    for note in source_notes.iter().chain(&outcome.notes) {
        eprintln!("argus-lsp: {note}");
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        HealFormat::Json => {
            let report = Report { selector: args.selector, url: args.url, candidates: &outcome.candidates };
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        HealFormat::Human => {
            for c in &outcome.candidates {
                let mark = if c.validated { "✓".to_string() } else { format!("✗ {}", c.why_not.as_deref().unwrap_or_default()) };
                let from = c.evidence.as_deref().map(|e| format!("  [{}: {e}]", serde_json::to_value(c.source).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())).unwrap_or_default();
                writeln!(out, "{:.2}  {}  ({} match{})  {mark}{from}", c.score, c.code, c.matches, if c.matches == 1 { "" } else { "es" })?;
            }
            if outcome.candidates.is_empty() {
                writeln!(out, "no candidate")?;
            }
        }
    }
    out.flush()?;
    Ok(if outcome.candidates.iter().any(|c| c.validated) { 0 } else { EXIT_FINDINGS })
}

/// Config (`--config`, else `DIR/argus.toml`, else the nearest one), a browser for it, and
/// a runtime to drive it.
pub(super) fn page_setup(
    config_path: Option<&Path>,
    workspace: Option<&Path>,
) -> anyhow::Result<(Config, Browser, tokio::runtime::Runtime)> {
    let in_workspace = workspace.map(|w| w.join(crate::workspace::CONFIG_FILE)).filter(|p| p.is_file());
    let config = files::load_config(config_path.or(in_workspace.as_deref()))?;
    let cwd = std::env::current_dir().ok();
    let settings = BrowserSettings::from_config(&config.browser, workspace.or(cwd.as_deref()));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("async runtime")?;
    Ok((config, Browser::new(settings), runtime))
}
