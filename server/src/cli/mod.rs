//! The terminal face: `argus-lsp check`, `argus-lsp tests`, `argus-lsp snapshot`, `argus-lsp heal`,
//! `argus-lsp lsp`. A second thin
//! adapter over `workspace`, so the CLI and the editor can never disagree.

mod check;
mod files;
mod heal;
mod location;
mod progress;
mod render;
mod reports;
mod snapshot;
mod tests_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "argus-lsp", version, about = "Language server and CI checker for end-to-end test code")]
pub struct Cli {
    /// Path to argus.toml (default: the nearest one in the current directory or above).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the language server on stdin/stdout (the default).
    Lsp,
    /// Lint test sources like a compiler; exit 1 when a finding reaches `fail_level`.
    Check {
        /// Files or directories (default: the current directory).
        paths: Vec<PathBuf>,
        /// CI reports (Playwright JSON, JUnit XML) to map onto the code: files or globs,
        /// relative to the current directory. Repeatable.
        #[arg(long, num_args = 1..)]
        reports: Vec<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// List the tests argus finds.
    Tests {
        /// Files or directories (default: the current directory).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = TestsFormat::Human)]
        format: TestsFormat,
    },
    /// Print the fingerprint (JSON) of the one element SEL matches on URL; exit 1 when it
    /// matches none or several.
    Snapshot {
        /// CSS, `xpath=…`, or Playwright selector syntax (`role=button[name="Buy"]`, `text=…`, `data-testid=…`).
        #[arg(long)]
        selector: String,
        /// The page (absolute, or relative to browser.base_url / playwright baseURL).
        #[arg(long)]
        url: String,
        /// Workspace root: its argus.toml and playwright.config.* (default: the current directory).
        #[arg(long)]
        workspace: Option<PathBuf>,
    },
    /// Heal a broken selector: candidates validated in headless Chromium, best first; exit 1
    /// when none is validated.
    Heal {
        /// The broken selector: CSS, `xpath=…`, or Playwright selector syntax.
        #[arg(long)]
        selector: String,
        #[arg(long)]
        url: String,
        /// The element's fingerprint recorded while the selector worked (`argus-lsp snapshot`).
        #[arg(long)]
        snapshot: Option<PathBuf>,
        /// Workspace root: its argus.toml and playwright.config.* (default: the current directory).
        #[arg(long)]
        workspace: Option<PathBuf>,
        /// The test's framework: candidates are written in its API.
        #[arg(long, value_enum, default_value_t = StyleArg::PlaywrightTs)]
        style: StyleArg,
        #[arg(long, value_enum, default_value_t = HealFormat::Json)]
        format: HealFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HealFormat {
    Json,
    Human,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StyleArg {
    PlaywrightTs,
    PlaywrightPy,
    SeleniumPy,
    SeleniumJs,
    Cypress,
    Webdriverio,
}

impl From<StyleArg> for crate::heal::Style {
    fn from(s: StyleArg) -> Self {
        use crate::heal::Style;
        match s {
            StyleArg::PlaywrightTs => Style::PlaywrightTs,
            StyleArg::PlaywrightPy => Style::PlaywrightPy,
            StyleArg::SeleniumPy => Style::SeleniumPy,
            StyleArg::SeleniumJs => Style::SeleniumJs,
            StyleArg::Cypress => Style::Cypress,
            StyleArg::Webdriverio => Style::Webdriverio,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TestsFormat {
    Human,
    Json,
}

/// Exit codes: 0 clean, 1 findings at or above `fail_level`, 2 usage or configuration error.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Run a non-LSP command. `None` means: serve LSP.
pub fn run(cli: &Cli) -> Option<ExitCode> {
    let result = match cli.command.as_ref()? {
        Command::Lsp => return None,
        Command::Check { paths, reports, format } => check::run(cli.config.as_deref(), paths, reports, *format),
        Command::Tests { paths, format } => tests_cmd::run(cli.config.as_deref(), paths, *format),
        Command::Snapshot { selector, url, workspace } => {
            snapshot::run(cli.config.as_deref(), workspace.as_deref(), selector, url)
        }
        Command::Heal { selector, url, snapshot, workspace, style, format } => heal::run(
            cli.config.as_deref(),
            heal::Args {
                selector,
                url,
                snapshot: snapshot.as_deref(),
                workspace: workspace.as_deref(),
                style: (*style).into(),
                format: *format,
            },
        ),
    };
    Some(match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("argus-lsp: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    })
}
