//! Issue 4 §7: the page changes under a recorded locator; healing against the changed page
//! must put the right element first, validated, and never validate a candidate that matches
//! no element, several, an invisible one or another element. Real Chromium + chromedriver,
//! pages served on 127.0.0.1, one warm session for every case.

mod heal_support;

use argus_lsp::browser::Browser;
use argus_lsp::heal::{self, Candidate, HealSettings, Page, Selector, Style, selector};
use heal_support::{PageServer, browser, pages_dir, runtime};

struct Case {
    name: &'static str,
    /// Page the locator worked on, and the selector recorded there.
    before: &'static str,
    selector: &'static str,
    /// The changed page.
    after: &'static str,
    /// CSS finding the right element on the changed page (None: it is gone, no heal).
    expect: Option<&'static str>,
    /// CSS of elements on the changed page that no validated candidate may match.
    never: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "class renamed",
        before: "shop.html",
        selector: ".submit-order",
        after: "shop-class-renamed.html",
        expect: Some("#place-order"),
        never: &["div[hidden] button", "#cancel"],
    },
    Case {
        name: "id changed",
        before: "shop.html",
        selector: "#place-order",
        after: "shop-id-changed.html",
        expect: Some("#submit-order-btn"),
        never: &["#cancel"],
    },
    Case {
        name: "text changed",
        before: "shop.html",
        selector: "text=Place order",
        after: "shop-text-changed.html",
        expect: Some("#place-order"),
        never: &["#cancel"],
    },
    Case {
        name: "wrapper inserted",
        before: "shop.html",
        selector: "#content > div.actions > button.btn-primary",
        after: "shop-wrapper-inserted.html",
        expect: Some("#place-order"),
        never: &["#cancel"],
    },
    Case {
        name: "sibling inserted before",
        before: "shop.html",
        selector: "xpath=//div[@class='actions']/button[2]",
        after: "shop-sibling-inserted.html",
        expect: Some("#place-order"),
        never: &["#cancel", ".btn-link"],
    },
    Case {
        name: "attribute removed",
        before: "shop.html",
        selector: "[data-testid=\"email-input\"]",
        after: "shop-attribute-removed.html",
        expect: Some("#email"),
        never: &["#coupon"],
    },
    Case {
        name: "test id changed",
        before: "shop.html",
        selector: "data-testid=buy-lamp",
        after: "shop-testid-changed.html",
        expect: Some("#buy-lamp"),
        never: &["#cancel", "#place-order"],
    },
    Case {
        name: "two look-alike elements",
        before: "lookalikes.html",
        selector: "#product-2 .btn-buy",
        after: "lookalikes-class-renamed.html",
        expect: Some("#product-2 button"),
        never: &["#product-1 button"],
    },
    Case {
        name: "element removed",
        before: "shop.html",
        selector: "#place-order",
        after: "shop-removed.html",
        expect: None,
        never: &["#cancel", "button"],
    },
];

async fn xpath_of(b: &mut Browser, css: &str) -> Vec<String> {
    b.query(&Selector::css(css)).await.unwrap().matches.into_iter().map(|m| m.xpath).collect()
}

async fn run(b: &mut Browser, server: &PageServer, case: &Case, style: Style) -> Result<Vec<Candidate>, String> {
    let sel = selector::parse(case.selector)?;
    b.open(&server.url(case.before)).await.map_err(|e| e.to_string())?;
    let (found, fp) = b.snapshot(&sel).await.map_err(|e| e.to_string())?;
    let fp = fp.ok_or_else(|| format!("the selector matched {} elements on the original page", found.count))?;

    let settings = HealSettings::default();
    let healed = heal::heal(b, &server.url(case.after), &sel, Some(&fp), style, &settings).await.map_err(|e| e.to_string())?;
    let cands = healed.candidates;
    let show = || cands.iter().map(|c| format!("  {:?}", c)).collect::<Vec<_>>().join("\n");

    // Never: a validated candidate on anything but the one right element.
    let expected = match case.expect {
        Some(css) => {
            let x = xpath_of(b, css).await;
            if x.len() != 1 {
                return Err(format!("fixture: `{css}` matches {} elements on {}", x.len(), case.after));
            }
            Some(x[0].clone())
        }
        None => None,
    };
    let mut never = Vec::new();
    for css in case.never {
        never.extend(xpath_of(b, css).await.into_iter().filter(|x| Some(x) != expected.as_ref()));
    }
    for c in cands.iter().filter(|c| c.validated) {
        let at = c.element.as_ref().map(|e| e.xpath.clone()).unwrap_or_default();
        if c.matches != 1 || Some(&at) != expected.as_ref() || never.contains(&at) {
            return Err(format!("validated a wrong candidate {c:?}\nall:\n{}", show()));
        }
    }
    for c in cands.iter().filter(|c| !c.validated) {
        if c.why_not.as_deref().unwrap_or_default().is_empty() {
            return Err(format!("an unvalidated candidate does not say why: {c:?}"));
        }
    }
    match expected {
        None => {
            if cands.iter().any(|c| c.validated) {
                return Err(format!("a heal was offered for a removed element:\n{}", show()));
            }
        }
        Some(x) => {
            let top = cands.first().ok_or("no candidate at all")?;
            let at = top.element.as_ref().map(|e| e.xpath.as_str());
            if !top.validated || at != Some(x.as_str()) {
                return Err(format!("top candidate is not the right element {x}:\n{}", show()));
            }
        }
    }
    Ok(cands)
}

#[test]
fn mutations_heal_to_the_right_element_and_never_validate_a_wrong_one() {
    let rt = runtime();
    rt.block_on(async {
        let server = PageServer::start(pages_dir());
        let mut b = browser();
        let mut failures = Vec::new();
        let mut tops = Vec::new();
        for case in CASES {
            match run(&mut b, &server, case, Style::PlaywrightTs).await {
                Ok(c) => tops.push(format!("{}: {}", case.name, c.first().map_or("(none)", |c| c.code.as_str()))),
                Err(e) => failures.push(format!("{}: {e}", case.name)),
            }
        }
        assert_eq!(b.sessions_started(), 1, "one warm session for every case");
        b.shutdown().await;
        eprintln!("{}", tops.join("\n"));
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    });
}

/// The same healing written for the other frameworks: the right element stays on top, and
/// each style's code is what that framework writes.
#[test]
fn every_style_heals_the_same_element_in_its_own_api() {
    let rt = runtime();
    rt.block_on(async {
        let server = PageServer::start(pages_dir());
        let mut b = browser();
        let case = &CASES[1]; // id changed: test id, role, text, css all possible
        let mut failures = Vec::new();
        for style in Style::ALL {
            match run(&mut b, &server, case, style).await {
                Ok(c) => {
                    let code = &c[0].code;
                    let prefix = match style {
                        Style::PlaywrightTs => "page.getByTestId('place-order')",
                        Style::PlaywrightPy => "page.get_by_test_id(\"place-order\")",
                        Style::SeleniumPy => "(By.CSS_SELECTOR, '[data-testid=\"place-order\"]')",
                        Style::SeleniumJs => "By.css('[data-testid=\"place-order\"]')",
                        Style::Cypress => "cy.get('[data-testid=\"place-order\"]')",
                        Style::Webdriverio => "$('[data-testid=\"place-order\"]')",
                    };
                    if code != prefix {
                        failures.push(format!("{}: top is {code}, expected {prefix}", style.as_str()));
                    }
                }
                Err(e) => failures.push(format!("{}: {e}", style.as_str())),
            }
        }
        b.shutdown().await;
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    });
}
