//! Healing a broken locator by DOM similarity, proven on the live page.
//!
//! Pure where it can be: scoring (`score`), selector parsing (`selector`), generation in
//! the test's style (`generate`, `style`) and the validation rule (`validate`) take data and
//! return data. `heal` drives them through the [`Page`] trait; `browser::Browser` is the
//! real page (headless Chromium), tests may bring their own.
//!
//! Other candidate sources (knowledge base, backend, git history) propose code plus the
//! selector it means and go through [`validate_proposals`], so every candidate is judged by
//! the same rule.

pub mod fingerprint;
pub mod generate;
pub mod git_history;
pub mod score;
pub mod selector;
pub mod style;
pub mod validate;
pub mod write;

use std::future::Future;

use serde::{Deserialize, Serialize};

pub use fingerprint::{DomTree, Fingerprint, PathNode};
pub use generate::{ElementFacts, Proposal, Strategy};
pub use selector::{Selector, TextMatch};
pub use style::Style;
pub use validate::{MatchInfo, QueryResult};

/// Where a candidate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    KnowledgeBase,
    Backend,
    GitHistory,
    DomSimilarity,
}

/// The element a candidate matched (its first match when it matched several).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementRef {
    /// Absolute, 1-based on every step: `/html[1]/body[1]/…`.
    pub xpath: String,
    pub tag: String,
    pub text: String,
}

/// A proposed replacement for a broken locator, and what the browser said about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The locator written in the test's style: `page.getByTestId('buy')`.
    pub code: String,
    pub strategy: Strategy,
    pub value: String,
    /// 0–1: how much the element looks like the recorded one (or the source's confidence).
    pub score: f64,
    pub source: Source,
    /// Matched exactly one displayed element that agrees with the recorded fingerprint.
    pub validated: bool,
    /// How many elements it matched on the page.
    pub matches: usize,
    pub element: Option<ElementRef>,
    /// Why it is not validated (None when it is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
    /// Where the source found it: the commit that renamed the attribute, the backend's
    /// explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The backend pattern it came from (approved or rejected when applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HealSettings {
    /// Elements scoring under this similarity are not candidates (Healenium's 0.6).
    pub cutoff: f64,
    /// The project's test-id attribute (Playwright's `testIdAttribute`).
    pub test_id_attribute: String,
    /// How many of the most similar elements get selectors generated per round trip.
    pub max_elements: usize,
    /// Round trips of `max_elements` tried until one element validates.
    pub max_rounds: usize,
    /// Per element: validated proposals kept, and failed ones kept to say why.
    pub max_validated_per_element: usize,
    pub max_rejected_per_element: usize,
}

impl Default for HealSettings {
    fn default() -> Self {
        HealSettings {
            cutoff: 0.6,
            test_id_attribute: "data-testid".into(),
            max_elements: 3,
            max_rounds: 4,
            max_validated_per_element: 3,
            max_rejected_per_element: 2,
        }
    }
}

/// A page failure (navigation, script, lost session), as one readable message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct PageError(pub String);

/// A live page the healer can look at. One page at a time: methods take `&mut self`.
pub trait Page {
    /// Load `url` (the implementation decides which origins it may visit).
    fn open(&mut self, url: &str) -> impl Future<Output = Result<(), PageError>> + Send;
    /// Every element of the loaded page.
    fn scan(&mut self) -> impl Future<Output = Result<DomTree, PageError>> + Send;
    /// Facts for selector generation, per XPath (`None` when it matches nothing).
    fn describe(
        &mut self,
        xpaths: &[String],
        test_id_attributes: &[String],
    ) -> impl Future<Output = Result<Vec<Option<ElementFacts>>, PageError>> + Send;
    /// Evaluate selectors with Playwright's matching rules, one result per selector.
    fn query_many(&mut self, selectors: &[Selector]) -> impl Future<Output = Result<Vec<QueryResult>, PageError>> + Send;
    /// The fingerprint of the single element `selector` matches, with how many it matched.
    fn snapshot(
        &mut self,
        selector: &Selector,
    ) -> impl Future<Output = Result<(QueryResult, Option<Fingerprint>), PageError>> + Send;
}

/// The outcome of one heal.
#[derive(Debug, Clone, PartialEq)]
pub struct Heal {
    /// Best first: validated before unvalidated, then by score, priority and length.
    pub candidates: Vec<Candidate>,
    /// How the broken selector itself fares on the page now.
    pub broken: QueryResult,
    /// What the user should know (no fingerprint, nothing similar enough, …).
    pub notes: Vec<String>,
    /// The element candidates were judged against: the recorded one, else the one the
    /// broken selector still matched (None when there was neither).
    pub reference: Option<Fingerprint>,
}

/// Open `url`, find the elements most like `recorded`, generate locators for them in
/// `style` and validate each on the page. Without a recorded fingerprint, the element the
/// broken selector still uniquely matches (if any) is the reference.
pub async fn heal<P: Page>(
    page: &mut P,
    url: &str,
    broken: &Selector,
    recorded: Option<&Fingerprint>,
    style: Style,
    settings: &HealSettings,
) -> Result<Heal, PageError> {
    page.open(url).await?;
    let (broken_result, current) = page.snapshot(broken).await?;
    let mut notes = Vec::new();
    let reference = match (recorded, current) {
        (Some(fp), _) => fp.clone(),
        (None, Some(fp)) => {
            notes.push("no recorded fingerprint: using the element the selector matches now".into());
            fp
        }
        (None, None) => {
            notes.push(format!(
                "no recorded fingerprint and the selector matches {} elements: record one with `argus-lsp snapshot` while it works",
                broken_result.count
            ));
            return Ok(Heal { candidates: Vec::new(), broken: broken_result, notes, reference: None });
        }
    };
    let tree = page.scan().await?;
    let ranked = score::rank(&reference, &tree, settings.cutoff);
    if ranked.is_empty() {
        notes.push(format!("no element of the page is similar enough (cut-off {})", settings.cutoff));
    }
    let mut test_attrs = vec![settings.test_id_attribute.clone()];
    test_attrs.extend(generate::TEST_ATTRIBUTES.iter().map(|a| a.to_string()).filter(|a| *a != settings.test_id_attribute));

    // Healenium's score favours look-alikes (a neighbour `#buy-70` scores above a renamed
    // `#buy-700`); validation tells them apart. The first round takes the most similar
    // elements as they rank; later rounds only those whose text, id or test attribute could
    // agree (from the scan), until an element validates or the budget is spent.
    let per_round = settings.max_elements.max(1);
    let mut rounds: Vec<Vec<score::Scored>> = vec![ranked.iter().take(per_round).cloned().collect()];
    let later: Vec<score::Scored> =
        ranked.iter().skip(per_round).filter(|s| validate::plausible(&reference, &tree.nodes[s.node])).cloned().collect();
    rounds.extend(later.chunks(per_round).take(settings.max_rounds.saturating_sub(1)).map(<[_]>::to_vec));
    let mut judged: Vec<(usize, Candidate)> = Vec::new();
    for chunk in rounds.iter().filter(|r| !r.is_empty()) {
        let xpaths: Vec<String> = chunk.iter().map(|s| tree.xpath(s.node)).collect();
        let facts = page.describe(&xpaths, &test_attrs).await?;
        let mut batch: Vec<(usize, f64, Proposal)> = Vec::new();
        for ((scored, xpath), facts) in chunk.iter().zip(&xpaths).zip(facts) {
            let Some(facts) = facts else {
                notes.push(format!("{xpath} vanished while healing"));
                continue;
            };
            for p in generate::proposals(&facts, style, &settings.test_id_attribute) {
                batch.push((scored.node, scored.score, p));
            }
        }
        let selectors: Vec<Selector> = batch.iter().map(|(_, _, p)| p.selector.clone()).collect();
        let results = page.query_many(&selectors).await?;
        judged.extend(batch.into_iter().zip(results).map(|((node, score, p), result)| {
            let target = tree.xpath(node);
            (node, judge(Proposed::new(p, score, Source::DomSimilarity), &result, Some(&target), Some(&reference)))
        }));
        if judged.iter().any(|(_, c)| c.validated) {
            break;
        }
    }

    // Only one element can be the healed one: the most similar element that validated.
    // Look-alikes that would also pass are not validated; equally similar ones make it
    // ambiguous, and then none is.
    let best = judged.iter().filter(|(_, c)| c.validated).map(|(n, c)| (*n, c.score)).reduce(|a, b| if b.1 > a.1 { b } else { a });
    if let Some((best_node, best_score)) = best {
        let best_xpath = tree.xpath(best_node);
        let tie = judged.iter().any(|(n, c)| *n != best_node && c.validated && (c.score - best_score).abs() < 1e-9);
        for (_, c) in judged.iter_mut().filter(|(n, c)| c.validated && (tie || *n != best_node)) {
            c.validated = false;
            c.why_not = Some(if tie {
                format!("ambiguous: another element is exactly as similar to the recorded one ({best_score:.3})")
            } else {
                format!("a look-alike: {best_xpath} is more similar to the recorded element ({best_score:.3} vs {:.3})", c.score)
            });
        }
    }

    let mut candidates = Vec::new();
    let mut kept: std::collections::HashMap<usize, (usize, usize)> = Default::default();
    for (node, c) in judged {
        let (ok, bad) = kept.entry(node).or_default();
        let room = if c.validated { ok } else { bad };
        let limit = if c.validated { settings.max_validated_per_element } else { settings.max_rejected_per_element };
        if *room < limit && !candidates.iter().any(|o: &Candidate| o.code == c.code) {
            *room += 1;
            candidates.push(c);
        }
    }
    sort(&mut candidates);
    // Enough failures to say why the obvious ones were not taken, not every look-alike's.
    let mut rejected = 0;
    candidates.retain(|c| {
        rejected += usize::from(!c.validated);
        c.validated || rejected <= MAX_REJECTED
    });
    Ok(Heal { candidates, broken: broken_result, notes, reference: Some(reference) })
}

const MAX_REJECTED: usize = 6;

/// A proposal from any source, with the score that source gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed {
    pub proposal: Proposal,
    pub score: f64,
    pub source: Source,
    pub evidence: Option<String>,
    pub pattern_id: Option<String>,
}

impl Proposed {
    pub fn new(proposal: Proposal, score: f64, source: Source) -> Proposed {
        Proposed { proposal, score, source, evidence: None, pattern_id: None }
    }
}

/// A selector another source suggests, as that source wrote it (selector syntax or a
/// locator call).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggested {
    pub text: String,
    pub confidence: f64,
    pub source: Source,
    pub evidence: Option<String>,
    pub pattern_id: Option<String>,
}

/// Suggestions written in the test's `style`; what cannot be read or written in it is left
/// out, and each code once (the first, most trusted, wins).
pub fn proposals_from(suggested: Vec<Suggested>, style: Style, test_id_attribute: &str) -> Vec<Proposed> {
    let mut out: Vec<Proposed> = Vec::new();
    for s in suggested {
        let Some(selector) = write::read(&s.text, test_id_attribute) else { continue };
        let Some(proposal) = write::write(&selector, style, test_id_attribute) else { continue };
        if out.iter().any(|o| o.proposal.code == proposal.code) {
            continue;
        }
        out.push(Proposed { proposal, score: s.confidence.clamp(0.0, 1.0), source: s.source, evidence: s.evidence, pattern_id: s.pattern_id });
    }
    out
}

/// The git-history source: renames of what `broken` keys on in `log` (`git log -S -p`
/// text), as proposals in `style`.
pub fn from_history(broken: &Selector, log: &str, style: Style, test_id_attribute: &str) -> Vec<Proposed> {
    let commits = git_history::parse_log(log);
    let renames = git_history::renames(&commits, &git_history::keys(broken));
    let count = renames.len().max(1) as f64;
    let mut out: Vec<Proposed> = Vec::new();
    for (i, r) in renames.into_iter().enumerate() {
        let selector = git_history::rewrite(broken, &r.key, &r.new_value);
        let Some(proposal) = write::write(&selector, style, test_id_attribute) else { continue };
        if out.iter().any(|o| o.proposal.code == proposal.code) {
            continue;
        }
        let short = &r.sha[..r.sha.len().min(10)];
        let evidence = format!("renamed `{}` → `{}` in {short} \"{}\" ({}:{})", r.key.value, r.new_value, r.summary, r.path, r.line);
        // The newest rename first; the browser decides.
        let score = 0.9 - 0.2 * (i as f64 / count);
        out.push(Proposed { proposal, score, source: Source::GitHistory, evidence: Some(evidence), pattern_id: None });
    }
    out
}

/// Validate proposals from other sources (knowledge base, backend, git history) on the
/// loaded page against the recorded fingerprint; best first.
pub async fn validate_proposals<P: Page>(
    page: &mut P,
    proposed: Vec<Proposed>,
    recorded: Option<&Fingerprint>,
) -> Result<Vec<Candidate>, PageError> {
    if proposed.is_empty() {
        return Ok(Vec::new());
    }
    let selectors: Vec<Selector> = proposed.iter().map(|p| p.proposal.selector.clone()).collect();
    let results = page.query_many(&selectors).await?;
    let mut out: Vec<Candidate> = proposed.into_iter().zip(results).map(|(p, r)| judge(p, &r, None, recorded)).collect();
    sort(&mut out);
    Ok(out)
}

/// Add what other sources proposed, proved on the page `heal` left open: one candidate per
/// code, best first.
pub async fn add_proposals<P: Page>(
    page: &mut P,
    healed: &mut Heal,
    proposed: Vec<Proposed>,
    recorded: Option<&Fingerprint>,
) -> Result<(), PageError> {
    let proved = validate_proposals(page, proposed, recorded).await?;
    for c in proved {
        match healed.candidates.iter().position(|o| o.code == c.code) {
            // The same code proved again: the other source says more about why (healed
            // before, a commit), so its candidate stands for both.
            Some(i) if c.validated => healed.candidates[i] = c,
            Some(_) => {}
            None => healed.candidates.push(c),
        }
    }
    sort(&mut healed.candidates);
    Ok(())
}

fn judge(p: Proposed, result: &QueryResult, target: Option<&str>, recorded: Option<&Fingerprint>) -> Candidate {
    let verdict = validate::verdict(result, target, recorded);
    Candidate {
        code: p.proposal.code,
        strategy: p.proposal.strategy,
        value: p.proposal.value,
        score: (p.score * 1000.0).round() / 1000.0,
        source: p.source,
        validated: verdict.is_ok(),
        matches: result.count,
        element: result.matches.first().map(|m| ElementRef { xpath: m.xpath.clone(), tag: m.tag.clone(), text: m.text.clone() }),
        why_not: verdict.err(),
        evidence: p.evidence,
        pattern_id: p.pattern_id,
    }
}

/// Validated first, then higher score, Playwright's priority, shorter code.
pub fn sort(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        b.validated
            .cmp(&a.validated)
            .then(b.score.total_cmp(&a.score))
            .then(a.strategy.cmp(&b.strategy))
            .then(a.code.len().cmp(&b.code.len()))
    });
}
