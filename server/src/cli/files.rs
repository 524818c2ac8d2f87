//! Resolving command-line paths and the configuration for the CLI.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::config::Config;
use crate::workspace::{CONFIG_FILE, index};

/// The config: `--config`, else the nearest `argus.toml` from the current directory up.
/// Warnings go to stderr; an invalid file is an error (exit 2).
pub fn load_config(explicit: Option<&Path>) -> anyhow::Result<Config> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let cwd = std::env::current_dir().context("current directory")?;
            cwd.ancestors().map(|d| d.join(CONFIG_FILE)).find(|p| p.is_file())
        }
    };
    let Some(path) = path else { return Ok(Config::default()) };
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let loaded = Config::from_toml(&text, &path.display().to_string())?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    Ok(loaded.config)
}

/// Test sources named by `paths` (files as given, directories walked like the workspace index).
pub fn expand(paths: &[PathBuf], config: &Config) -> anyhow::Result<Vec<PathBuf>> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            out.extend(index::discover(path, config));
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// `path` as shown to the user: relative to the current directory when under it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let s = shown.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}
