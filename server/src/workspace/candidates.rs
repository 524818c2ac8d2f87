//! Heal candidates from the sources other than the page itself — the knowledge base, the
//! Argus backend (its patterns and `/suggest`), the app's git history — as proposals in the
//! test's style. Both faces (code actions, `argus-lsp heal`) take them from here and prove
//! them on the page with `heal::add_proposals`.

use std::path::Path;
use std::time::Duration;

use crate::heal::{self, ElementFacts, Proposed, Selector, Source, Strategy, Style, Suggested};
use crate::sources::BackendClient;
use crate::sources::backend::SuggestRequest;
use crate::store::{HealingPattern, Store};

/// A `/suggest` answer later than this is not waited for: the user is waiting.
const SUGGEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Values of one selector looked up in git history (`#a.b` has two).
const MAX_GIT_KEYS: usize = 2;

/// The broken locator: what the page evaluates, the text as the test wrote it, and what the
/// failure said.
pub struct Broken<'a> {
    pub selector: &'a Selector,
    /// The selector as written (the knowledge base's and the backend's key).
    pub written: &'a str,
    pub style: Style,
    pub test_id_attribute: &'a str,
    pub error_type: Option<&'a str>,
    pub message: Option<&'a str>,
}

/// Where candidates may come from; each is optional.
#[derive(Default)]
pub struct Sources<'a> {
    pub store: Option<&'a Store>,
    pub backend: Option<&'a BackendClient>,
    /// A directory inside the repository whose history may have renamed the attribute.
    pub repository: Option<&'a Path>,
}

/// Proposals from every configured source, and notes on the sources that could not answer.
pub async fn proposals(sources: &Sources<'_>, broken: &Broken<'_>) -> (Vec<Proposed>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    if let Some(store) = sources.store {
        let mut patterns: Vec<HealingPattern> = Vec::new();
        for key in heal::write::lookup_keys(broken.selector, broken.written) {
            match store.patterns_for_selector(&key) {
                Ok(found) => {
                    for p in found {
                        if !patterns.iter().any(|o| o.fingerprint == p.fingerprint) {
                            patterns.push(p);
                        }
                    }
                }
                Err(e) => notes.push(format!("knowledge base: {e}")),
            }
        }
        out.extend(known_heals(&patterns, broken));
    }
    if let Some(client) = sources.backend {
        out.extend(backend(client, sources.store, broken, &mut notes).await);
    }
    if let Some(dir) = sources.repository {
        out.extend(history(dir, broken, &mut notes).await);
    }
    (out, notes)
}

/// Heals of the same broken selector the knowledge base kept, in `broken`'s style: written
/// again from the healed element's facts (so a Python heal serves a TypeScript test), else
/// from the healed selector's text.
pub fn known_heals(patterns: &[HealingPattern], broken: &Broken<'_>) -> Vec<Proposed> {
    let mut texts = Vec::new();
    let mut out: Vec<Proposed> = Vec::new();
    for p in patterns {
        let facts_proposal = p.element_context.as_ref().and_then(|ctx| {
            let facts: ElementFacts = serde_json::from_value(ctx.get("facts")?.clone()).ok()?;
            let strategy: Strategy = serde_json::from_value(ctx.get("strategy")?.clone()).ok()?;
            let value = ctx.get("value")?.as_str()?;
            heal::generate::proposals(&facts, broken.style, broken.test_id_attribute)
                .into_iter()
                .find(|x| x.strategy == strategy && x.value == value)
        });
        let evidence = Some(format!("healed before: applied {}×, failed {}×", p.success_count, p.failure_count));
        match facts_proposal {
            Some(proposal) => out.push(Proposed { evidence, ..Proposed::new(proposal, p.confidence, Source::KnowledgeBase) }),
            None => texts.push(Suggested {
                text: p.healed_selector.clone(),
                confidence: p.confidence,
                source: Source::KnowledgeBase,
                evidence,
                pattern_id: None,
            }),
        }
    }
    out.extend(heal::proposals_from(texts, broken.style, broken.test_id_attribute));
    out
}

/// The backend's patterns for this selector (from the last poll, cached in the store) and
/// its `/suggest` answer.
async fn backend(client: &BackendClient, store: Option<&Store>, broken: &Broken<'_>, notes: &mut Vec<String>) -> Vec<Proposed> {
    let mut suggested = Vec::new();
    let cached = store.and_then(|s| client.cached_patterns(s)).unwrap_or_default();
    for p in cached.iter().filter(|p| same_selector(&p.original_selector, broken.written)) {
        suggested.push(Suggested {
            text: p.healed_selector.clone(),
            confidence: p.confidence,
            source: Source::Backend,
            evidence: Some(format!("backend pattern {}: applied {}×, failed {}×", p.id, p.success_count, p.failure_count)),
            pattern_id: Some(p.id.clone()).filter(|id| !id.is_empty()),
        });
    }
    let request = SuggestRequest {
        error_message: broken.message.unwrap_or_default().to_string(),
        error_type: broken.error_type.map(str::to_string),
        selector: Some(broken.written.to_string()),
        context: None,
        skip_cache: false,
        force_llm: false,
    };
    match tokio::time::timeout(SUGGEST_TIMEOUT, client.suggest(&request)).await {
        Ok(Ok(answer)) => {
            for s in answer.suggestions.into_iter().filter(|s| s.fix_type == "update_selector") {
                let Some(text) = s.new_value.filter(|v| !v.trim().is_empty()) else { continue };
                let why = if s.explanation.is_empty() { String::new() } else { format!(": {}", s.explanation) };
                suggested.push(Suggested {
                    text,
                    confidence: s.confidence,
                    source: Source::Backend,
                    evidence: Some(format!("backend /suggest ({}){why}", answer.source)),
                    pattern_id: s.pattern_id,
                });
            }
        }
        Ok(Err(e)) => notes.push(format!("backend: {e}")),
        Err(_) => notes.push(format!("backend: /suggest took over {}s", SUGGEST_TIMEOUT.as_secs())),
    }
    heal::proposals_from(suggested, broken.style, broken.test_id_attribute)
}

/// Selectors as written by different tools: quotes and spaces do not matter.
fn same_selector(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).map(|c| if c == '\'' { '"' } else { c }).collect::<String>();
    norm(a) == norm(b)
}

/// Renames in the repository's history of what the selector keys on.
async fn history(dir: &Path, broken: &Broken<'_>, notes: &mut Vec<String>) -> Vec<Proposed> {
    let mut out: Vec<Proposed> = Vec::new();
    for key in heal::git_history::keys(broken.selector).into_iter().take(MAX_GIT_KEYS) {
        match crate::sources::git::pickaxe(dir, &key.value).await {
            Ok(log) => {
                for p in heal::from_history(broken.selector, &log, broken.style, broken.test_id_attribute) {
                    if !out.iter().any(|o| o.proposal.code == p.proposal.code) {
                        out.push(p);
                    }
                }
            }
            Err(e) => {
                notes.push(format!("git history: {e}"));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn broken<'a>(selector: &'a Selector, style: Style) -> Broken<'a> {
        Broken { selector, written: "buy-lamp", style, test_id_attribute: "data-testid", error_type: None, message: None }
    }

    #[test]
    fn a_heal_kept_from_a_typescript_test_is_written_for_a_python_one() {
        let mut facts = ElementFacts { xpath: "/html[1]/body[1]/button[1]".into(), tag: "button".into(), visible: true, ..Default::default() };
        facts.test_ids.insert("data-testid".into(), "add-lamp".into());
        let with_facts = HealingPattern {
            original_selector: "buy-lamp".into(),
            healed_selector: "page.getByTestId('add-lamp')".into(),
            confidence: 1.0,
            success_count: 1,
            element_context: Some(json!({ "strategy": "testid", "value": "add-lamp", "facts": facts })),
            ..Default::default()
        };
        // An older pattern without facts is read from its text.
        let text_only = HealingPattern {
            original_selector: "buy-lamp".into(),
            healed_selector: "[data-test=\"lamp\"]".into(),
            confidence: 0.5,
            ..Default::default()
        };
        let sel = Selector::TestId { attribute: "data-testid".into(), value: "buy-lamp".into() };
        let known = known_heals(&[with_facts, text_only], &broken(&sel, Style::PlaywrightPy));
        let codes: Vec<&str> = known.iter().map(|p| p.proposal.code.as_str()).collect();
        assert_eq!(codes, ["page.get_by_test_id(\"add-lamp\")", "page.locator('[data-test=\"lamp\"]')"]);
        assert_eq!((known[0].source, known[0].score), (Source::KnowledgeBase, 1.0));
        assert_eq!(known[0].evidence.as_deref(), Some("healed before: applied 1×, failed 0×"));
    }

    #[test]
    fn selectors_match_whatever_the_quotes() {
        assert!(same_selector("[data-testid='buy']", "[data-testid=\"buy\"]"));
        assert!(same_selector("button.buy ", "button.buy"));
        assert!(!same_selector("button.buy", "button.by"));
    }
}
