//! Healing in the server: the one warm browser, a model locator as the healer's selector,
//! the page a locator lives on, and a validated candidate as an edit of the exact call.
//! Used by `codeAction/resolve` and the `argus.validateSelector` / `argus.snapshotLocators`
//! commands.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::ls_types::{self as lsp, CodeAction, Command};

use super::{Handle, convert};
use crate::workspace::candidates::{self, Broken, Sources};
use crate::browser::{Browser, BrowserSettings};
use crate::config::Config;
use crate::heal::{Candidate, HealSettings, Page, Selector, Source, Style};
use crate::syntax::{FileModel, Locator, Span};

/// The server's browser: started on first use, reused, shut down with the server.
pub type SharedBrowser = Arc<tokio::sync::Mutex<Option<Browser>>>;

/// The browser for `config`, creating it (nothing starts until it is used).
pub fn browser<'a>(slot: &'a mut Option<Browser>, config: &Config, root: Option<&Path>) -> &'a mut Browser {
    slot.get_or_insert_with(|| Browser::new(BrowserSettings::from_config(&config.browser, root)))
}

pub use crate::heal::write::{selector_of, style_of};

/// The page a locator is used on: the test's last navigation before `at`, else the file's
/// first literal navigation (a page object's `open()`).
pub fn page_of(model: &FileModel, test: Option<usize>, at: usize) -> Option<String> {
    let literal = |n: &&crate::syntax::Navigation| n.dynamic.is_empty() && !n.url.is_empty();
    let in_test = model.navigations.iter().filter(literal).filter(|n| test.is_some() && n.test == test && n.span.end <= at).max_by_key(|n| n.span.end);
    in_test.or_else(|| model.navigations.iter().find(literal)).map(|n| n.url.clone())
}

/// The edit a candidate makes to the locator call as written: only the part that names the
/// element changes (`locator('x')` → `getByTestId('y')`, the arguments of `find_element(…)`),
/// so the receiver, chained modifiers and the action stay as they are.
pub fn replacement(text: &str, l: &Locator, style: Style, c: &Candidate) -> Option<(Span, String)> {
    let call = text.get(l.call_span.start..l.call_span.end)?;
    match style {
        Style::SeleniumPy | Style::SeleniumJs => {
            // `driver.find_element(By.ID, "x")` ← `(By.CSS_SELECTOR, "…")` / `By.css('…')`
            let open = call.find('(')?;
            let close = call.rfind(')')?;
            let args = c.code.strip_prefix('(').and_then(|s| s.strip_suffix(')')).unwrap_or(&c.code);
            Some((Span::new(l.call_span.start + open + 1, l.call_span.start + close), args.to_string()))
        }
        Style::Webdriverio => Some((l.call_span, c.code.clone())),
        _ => {
            // `page.locator('x')` ← `page.getByTestId('y')`: keep the receiver written here
            let method_at = call[..call.find('(')?].rfind('.').map(|i| i + 1).unwrap_or(0);
            let code_method = c.code[..c.code.find('(')?].rfind('.').map(|i| i + 1).unwrap_or(0);
            Some((Span::new(l.call_span.start + method_at, l.call_span.end), c.code[code_method..].to_string()))
        }
    }
}

// ---- what the server does with them ------------------------------------------------------


/// A locator to work on, copied out of the workspace so the lock is not held while the
/// browser works.
struct Target {
    selector: Selector,
    style: Style,
    value: String,
    page: String,
    locator: Locator,
    text: String,
    settings: HealSettings,
    language: crate::syntax::Language,
    config: Config,
}

fn target_at(handle: &Handle, path: &Path, index: usize) -> Result<Target, String> {
    let ws = handle.ws();
    let analysis = ws.analysis(path).ok_or("the file is not open")?;
    let model = &analysis.model;
    let l = model.locators.get(index).ok_or("the locator moved; try again")?.clone();
    let config = ws.config();
    let selector = selector_of(&l, &config.selectors.test_id_attribute).ok_or("a dynamic locator cannot be evaluated on a page")?;
    let style = style_of(&l, model.language).ok_or("not a browser locator")?;
    let at = l.uses.first().map_or(l.call_span.start, |u| u.start);
    let page = page_of(model, l.test, at).ok_or("no navigation (page.goto, driver.get, cy.visit, browser.url) in this file says which page to open")?;
    let settings = HealSettings {
        cutoff: config.heal.similarity_cutoff,
        test_id_attribute: config.selectors.test_id_attribute.clone(),
        ..HealSettings::default()
    };
    Ok(Target { selector, style, value: l.value.clone(), page, locator: l, text: analysis.doc.text(), settings, language: model.language, config: config.clone() })
}

/// Run `f` with the server's browser (started on first use).
async fn with_browser<T>(handle: &Handle, f: impl AsyncFnOnce(&mut Browser) -> T) -> T {
    let (config, root) = {
        let ws = handle.ws();
        (ws.config().clone(), ws.root().map(Path::to_path_buf))
    };
    let mut slot = handle.browser.lock().await;
    let b = browser(&mut slot, &config, root.as_deref());
    f(b).await
}

/// `argus.validateSelector`: how the locator under the cursor fares on its page now.
pub async fn validate_at(handle: &Handle, path: &Path, position: lsp::Position) -> Result<Value, String> {
    let index = {
        let ws = handle.ws();
        let analysis = ws.analysis(path).ok_or("the file is not open")?;
        let offset = analysis.doc.offset(convert::from_position(position), ws.encoding());
        super::hover::locator_at(&analysis.model, offset).ok_or("no locator under the cursor")?
    };
    let t = target_at(handle, path, index)?;
    let store = super::failures::ensure_store(handle).await;
    let result = with_browser(handle, async |b: &mut Browser| -> Result<_, String> {
        let url = b.goto(&t.page).await.map_err(|e| e.to_string())?;
        let q = b.query(&t.selector).await.map_err(|e| e.to_string())?;
        if let Some(store) = store.as_ref().filter(|_| q.count == 1 && q.matches.iter().all(|m| m.visible)) {
            learn_duration(b, store, &t).await;
        }
        Ok((url, q))
    })
    .await;
    super::failures::set_browser_state(handle, result.is_ok());
    let (url, q) = result?;
    let visible = q.matches.iter().filter(|m| m.visible).count();
    let verdict = match (q.count, &q.error) {
        (_, Some(e)) => format!("✗ not a valid selector: {e}"),
        (0, _) => "✗ matches nothing".to_string(),
        (1, _) if visible == 1 => "✓ 1 match, visible".to_string(),
        (1, _) => "✗ 1 match, not visible".to_string(),
        (n, _) => format!("✗ {n} matches (ambiguous)"),
    };
    Ok(json!({ "selector": t.value, "url": url.as_str(), "matches": q.count, "visible": visible, "message": format!("`{}` on {url}: {verdict}", t.value) }))
}

/// `argus.snapshotLocators`: record the element fingerprint of every locator of the file that
/// matches exactly one element on its page now, for healing it later.
pub async fn snapshot_file(handle: &Handle, path: &Path) -> Result<Value, String> {
    let count = handle.ws().analysis(path).map(|a| a.model.locators.len()).ok_or("the file is not open")?;
    let store = super::failures::ensure_store(handle).await.ok_or("no knowledge base (the store could not be opened)")?;
    let targets: Vec<Result<Target, String>> = (0..count).map(|i| target_at(handle, path, i)).collect();
    let (recorded, skipped) = with_browser(handle, async |b: &mut Browser| {
        let mut recorded = Vec::new();
        let mut skipped = Vec::new();
        for t in targets {
            let t = match t {
                Ok(t) => t,
                Err(why) => {
                    skipped.push(why);
                    continue;
                }
            };
            let url = match b.settings().resolve(&t.page) {
                Ok(u) => u,
                Err(e) => {
                    skipped.push(format!("`{}`: {e}", t.value));
                    continue;
                }
            };
            if let Err(e) = Page::open(b, url.as_str()).await {
                skipped.push(format!("`{}`: {e}", t.value));
                continue;
            }
            match Page::snapshot(b, &t.selector).await {
                Ok((_, Some(fp))) => match serde_json::to_value(&fp).map_err(|e| e.to_string()).and_then(|v| store.put_element(&t.value, url.as_str(), &v).map_err(|e| e.to_string())) {
                    Ok(()) => {
                        learn_duration(b, &store, &t).await;
                        recorded.push(t.value.clone());
                    }
                    Err(e) => skipped.push(format!("`{}`: {e}", t.value)),
                },
                Ok((q, None)) => skipped.push(format!("`{}` matches {} elements on {url}", t.value, q.count)),
                Err(e) => skipped.push(format!("`{}`: {e}", t.value)),
            }
        }
        (recorded, skipped)
    })
    .await;
    super::failures::set_browser_state(handle, !recorded.is_empty() || skipped.is_empty());
    Ok(json!({ "recorded": recorded, "skipped": skipped }))
}

/// Learn how long `t`'s element took to show after the navigation, for sizing its waits.
async fn learn_duration(b: &mut Browser, store: &crate::store::Store, t: &Target) {
    match b.visible_after(&t.selector).await {
        Ok(Some(ms)) => {
            if let Err(e) = store.record_duration(&t.value, ms) {
                tracing::warn!("{e}");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::debug!("`{}`: {e}", t.value),
    }
}

/// The unresolved "Heal selector" action for a failing locator; `resolve` does the work.
pub fn lazy_action(uri: &lsp::Uri, version: i32, locator: usize, value: &str, error_type: Option<&str>, diagnostics: Vec<lsp::Diagnostic>) -> CodeAction {
    CodeAction {
        title: format!("Heal selector `{value}` (validate in Chromium)"),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        data: Some(json!({ "argus": "heal", "uri": uri.as_str(), "version": version, "locator": locator, "error_type": error_type })),
        ..Default::default()
    }
}

/// One proved heal: the edit and what `argus.recordHeal` keeps of it.
struct Healed {
    edit: lsp::TextEdit,
    code: String,
    matches: usize,
    source: Source,
    evidence: Option<String>,
    record: Value,
}

/// Heal locator `index` of `path`: candidates from the page (against the fingerprint recorded
/// while the selector worked), the knowledge base, the backend and git history, the best
/// validated one as an edit of the exact call. Err: why there is none.
async fn heal_one(handle: &Handle, path: &Path, index: usize, error_type: &Value, mode: Mode) -> Result<Healed, String> {
    let t = target_at(handle, path, index)?;
    let store = super::failures::ensure_store(handle).await;
    let (backend_config, root, message) = {
        let ws = handle.ws();
        let message = ws.failure_findings(path).into_iter().find(|f| f.target == crate::analysis::failures::Target::Locator(index)).map(|f| f.message.clone());
        (ws.config().backend.clone(), ws.root().map(Path::to_path_buf), message)
    };
    let client = crate::sources::BackendClient::from_config(&backend_config).ok().flatten();
    let broken = Broken {
        selector: &t.selector,
        written: &t.value,
        style: t.style,
        test_id_attribute: &t.settings.test_id_attribute,
        error_type: error_type.as_str(),
        message: message.as_deref(),
    };
    let sources = Sources { store: store.as_ref(), backend: client.as_ref(), repository: root.as_deref() };
    let outcome = with_browser(handle, async |b: &mut Browser| -> Result<_, String> {
        let url = b.settings().resolve(&t.page).map_err(|e| e.to_string())?;
        // The fingerprint recorded for this selector, or for the same test id as another
        // framework wrote it; on this page if there is one.
        let recorded = store
            .as_ref()
            .and_then(|s| crate::heal::write::lookup_keys(&t.selector, &t.value).iter().filter_map(|k| s.elements(k).ok()).find(|els| !els.is_empty()))
            .and_then(|els| els.iter().find(|(u, _)| u == url.as_str()).or(els.first()).cloned())
            .and_then(|(_, v)| serde_json::from_value(v).ok());
        // git and the backend answer while the page is scanned.
        let (healed, (others, source_notes)) = tokio::join!(
            crate::heal::heal(b, url.as_str(), &t.selector, recorded.as_ref(), t.style, &t.settings),
            candidates::proposals(&sources, &broken)
        );
        for note in &source_notes {
            tracing::info!("heal `{}`: {note}", t.value);
        }
        let mut healed = healed.map_err(|e| e.to_string())?;
        // Judged against the recorded element, else the one the selector still matches.
        let reference = recorded.clone().or_else(|| healed.reference.clone());
        crate::heal::add_proposals(b, &mut healed, others, reference.as_ref()).await.map_err(|e| e.to_string())?;
        // What the knowledge base keeps of the winner, to write it in any style later.
        let facts = match healed.candidates.iter().find(|c| c.validated).and_then(|c| c.element.as_ref()) {
            Some(el) => Page::describe(b, std::slice::from_ref(&el.xpath), std::slice::from_ref(&t.settings.test_id_attribute)).await.ok().and_then(|mut v| v.pop().flatten()),
            None => None,
        };
        Ok((url, healed, facts))
    })
    .await;
    super::failures::set_browser_state(handle, outcome.is_ok());
    let (url, healed, facts) = outcome?;
    if mode == Mode::Brittle && healed.broken.count != 1 {
        return Err(format!("`{}` matches {} elements now; it can only be replaced while it finds its element", t.value, healed.broken.count));
    }
    // The best validated candidate that changes the call (and, replacing a brittle selector,
    // is not brittle itself).
    let picked = healed.candidates.iter().filter(|c| c.validated).find_map(|c| {
        let (span, new_text) = replacement(&t.text, &t.locator, t.style, c)?;
        let same = t.text.get(span.start..span.end) == Some(new_text.as_str());
        (!same && (mode == Mode::Broken || !still_brittle(&t, span, &new_text))).then_some((c, span, new_text))
    });
    let Some((best, span, new_text)) = picked else {
        let why = healed.candidates.iter().find(|c| !c.validated).and_then(|c| c.why_not.clone()).or_else(|| healed.notes.first().cloned());
        let why = match (mode, why) {
            (Mode::Brittle, _) if healed.candidates.iter().any(|c| c.validated) => "every locator that finds the element is as brittle".to_string(),
            (_, Some(why)) => why,
            (_, None) => "nothing similar on the page".into(),
        };
        return Err(format!("no validated candidate ({why})"));
    };
    let ws = handle.ws();
    let analysis = ws.analysis(path).ok_or("the file is not open")?;
    let edit = lsp::TextEdit { range: convert::range(analysis.doc.range(span.start, span.end, ws.encoding())), new_text };
    // The backend pattern travels with the heal: seen failing again later, it is rejected.
    let context = json!({ "strategy": best.strategy, "value": best.value, "facts": facts, "backend_pattern_id": best.pattern_id });
    let record = json!({ "original_selector": t.value, "healed_selector": best.code, "error_type": error_type, "page_url": url.as_str(), "element_context": context, "pattern_id": best.pattern_id });
    Ok(Healed { edit, code: best.code.clone(), matches: best.matches, source: best.source, evidence: best.evidence.clone(), record })
}

/// What a heal is for: a locator CI saw break, or a working one a lint calls brittle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Broken,
    Brittle,
}

/// Whether the call after the edit still draws a brittle-selector lint.
fn still_brittle(t: &Target, span: Span, new_text: &str) -> bool {
    let mut text = t.text.clone();
    text.replace_range(span.start..span.end, new_text);
    let model = crate::syntax::parse_model(t.language, &text);
    let edited = Span::new(span.start, span.start + new_text.len());
    crate::analysis::lint(&model, &text, &t.config).iter().any(|f| is_brittle_lint(f.code) && f.span.start < edited.end && edited.start < f.span.end)
}

/// Lints a better selector fixes.
pub fn is_brittle_lint(code: crate::analysis::LintCode) -> bool {
    use crate::analysis::LintCode::*;
    matches!(code, PositionalSelector | AbsoluteXpath | DeepSelector | GeneratedClass | GuidId | LongTextSelector)
}

/// The unresolved "Replace brittle selector" action on a brittle-selector lint.
pub fn lazy_replace(uri: &lsp::Uri, version: i32, locator: usize, value: &str, diagnostics: Vec<lsp::Diagnostic>) -> CodeAction {
    CodeAction {
        title: format!("Replace brittle selector `{value}` (validate in Chromium)"),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        data: Some(json!({ "argus": "heal", "uri": uri.as_str(), "version": version, "locator": locator, "error_type": null, "brittle": true })),
        ..Default::default()
    }
}

/// The unresolved "Heal all" action for a file with several failing locators.
pub fn lazy_heal_all(uri: &lsp::Uri, version: i32, locators: Vec<(usize, Option<String>)>) -> CodeAction {
    let heals: Vec<Value> = locators.iter().map(|(i, e)| json!({ "locator": i, "error_type": e })).collect();
    CodeAction {
        title: format!("Heal all {} failing selectors in this file (validate in Chromium)", locators.len()),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        data: Some(json!({ "argus": "heal_all", "uri": uri.as_str(), "version": version, "heals": heals })),
        ..Default::default()
    }
}

/// Where a heal came from, for the action's title (the page itself needs no mention).
fn from(h: &Healed) -> String {
    match (h.source, &h.evidence) {
        (Source::KnowledgeBase, _) => " (healed before)".into(),
        (Source::GitHistory, Some(e)) => format!(" (git: {e})"),
        (Source::Backend, _) => " (Argus backend)".into(),
        _ => String::new(),
    }
}

/// `codeAction/resolve` for a heal (`heal`) or all heals of a file (`heal_all`): only what a
/// real browser validated becomes an edit; with nothing validated the action comes back
/// disabled with the reason.
pub async fn resolve(handle: &Handle, mut action: CodeAction) -> CodeAction {
    let Some(data) = action.data.clone() else { return action };
    let uri: Option<lsp::Uri> = data["uri"].as_str().and_then(|u| u.parse().ok());
    let Some(uri) = uri else { return action };
    let path = convert::uri_to_path(&uri);
    let version = data["version"].as_i64().unwrap_or(0) as i32;
    let mode = if data["brittle"] == true { Mode::Brittle } else { Mode::Broken };
    let what = match (data["argus"] == "heal_all", mode) {
        (true, _) => "Heal all",
        (false, Mode::Brittle) => "Replace brittle selector",
        (false, Mode::Broken) => "Heal selector",
    };
    let disable = |mut a: CodeAction, reason: String| {
        a.title = format!("{what}: {reason}");
        a.disabled = Some(lsp::CodeActionDisabled { reason });
        a
    };
    if handle.ws().analysis(&path).map(|a| a.version()) != Some(version) {
        return disable(action, "the file changed; ask again".into());
    }
    let wanted: Vec<(usize, Value)> = if data["argus"] == "heal_all" {
        data["heals"].as_array().into_iter().flatten().filter_map(|h| Some((h["locator"].as_u64()? as usize, h["error_type"].clone()))).collect()
    } else {
        data["locator"].as_u64().map(|i| (i as usize, data["error_type"].clone())).into_iter().collect()
    };
    let mut healed = Vec::new();
    let mut reasons = Vec::new();
    for (index, error_type) in wanted {
        match heal_one(handle, &path, index, &error_type, mode).await {
            Ok(h) => healed.push(h),
            Err(why) => reasons.push(why),
        }
    }
    if healed.is_empty() {
        return disable(action, reasons.join("; "));
    }
    action.title = match healed.as_slice() {
        [h] => format!("{what} → {} ✓ {} match{}", h.code, h.matches, from(h)),
        many => format!("Heal {} selectors in this file ✓ each 1 match{}", many.len(), if reasons.is_empty() { String::new() } else { format!(" ({} not validated)", reasons.len()) }),
    };
    action.is_preferred = Some(true);
    let change = lsp::TextDocumentEdit {
        text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: Some(version) },
        edits: healed.iter().map(|h| lsp::OneOf::Left(h.edit.clone())).collect(),
    };
    action.edit = Some(lsp::WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Edits(vec![change])), ..Default::default() });
    let records = healed.into_iter().map(|h| h.record).collect();
    action.command = Some(Command { title: "record the heals".into(), command: super::execute_command::RECORD_HEAL.into(), arguments: Some(records) });
    action
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heal::Strategy as HealStrategy;
    use crate::syntax::{Language, parse_model};

    fn candidate(code: &str) -> Candidate {
        Candidate {
            code: code.into(),
            strategy: HealStrategy::TestId,
            value: "add-to-cart".into(),
            score: 0.9,
            source: Source::DomSimilarity,
            validated: true,
            matches: 1,
            element: None,
            why_not: None,
            evidence: None,
            pattern_id: None,
        }
    }

    fn apply(text: &str, (span, new): (Span, String)) -> String {
        let mut out = text.to_string();
        out.replace_range(span.start..span.end, &new);
        out
    }

    #[test]
    fn only_the_element_part_of_the_call_changes() {
        let ts = "test('t', async ({ page }) => {\n  await page.goto('/');\n  await page.locator('button.add-to-cart').first().click();\n});\n";
        let m = parse_model(Language::TypeScript, ts);
        let l = &m.locators[0];
        let r = replacement(ts, l, Style::PlaywrightTs, &candidate("page.getByTestId('add-to-cart')")).unwrap();
        assert!(apply(ts, r).contains("await page.getByTestId('add-to-cart').first().click();"));
        assert_eq!(page_of(&m, l.test, l.call_span.start).as_deref(), Some("/"));
        assert_eq!(selector_of(l, "data-testid"), Some(Selector::css("button.add-to-cart")));

        let py = "def test_x(driver):\n    driver.get(\"/\")\n    driver.find_element(By.CSS_SELECTOR, \"button.add-to-cart\").click()\n";
        let m = parse_model(Language::Python, py);
        let r = replacement(py, &m.locators[0], Style::SeleniumPy, &candidate("(By.CSS_SELECTOR, \"[data-testid=\\\"add-to-cart\\\"]\")")).unwrap();
        assert!(apply(py, r).contains("driver.find_element(By.CSS_SELECTOR, \"[data-testid=\\\"add-to-cart\\\"]\").click()"));
    }
}
