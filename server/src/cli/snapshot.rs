//! `argus-lsp snapshot --selector SEL --url URL`: the fingerprint of the one element SEL
//! matches, as JSON (exit 1 when it matches none or several).

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::{EXIT_FINDINGS, heal::page_setup};
use crate::heal::{Page, selector};

pub fn run(config_path: Option<&Path>, workspace: Option<&Path>, sel: &str, url: &str) -> anyhow::Result<u8> {
    let parsed = selector::parse(sel).map_err(|e| anyhow::anyhow!("--selector: {e}"))?;
    let (_, mut browser, runtime) = page_setup(config_path, workspace)?;
    let outcome = runtime.block_on(async {
        let url = browser.goto(url).await?;
        let snap = browser.snapshot(&parsed).await;
        browser.shutdown().await;
        anyhow::Ok((url, snap?))
    });
    let (url, (found, fingerprint)) = outcome?;
    if let Some(e) = &found.error {
        anyhow::bail!("--selector `{sel}`: {e}");
    }
    let Some(fingerprint) = fingerprint else {
        eprintln!("argus-lsp: `{sel}` matches {} elements on {url}, not exactly one", found.count);
        return Ok(EXIT_FINDINGS);
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &fingerprint).context("stdout")?;
    writeln!(out)?;
    Ok(0)
}
