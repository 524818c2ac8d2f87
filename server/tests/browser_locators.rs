//! The injected page script resolves locators as Playwright does: role + accessible name
//! with implicit roles, text (loose: case-insensitive substring, whitespace-normalized;
//! exact), label, placeholder, alt, title, test id, CSS and XPath; hidden elements are left
//! out of role queries and reported as not visible. Plus the session's life: lazily started,
//! reused, restarted when it died, and refused origins never opened.

mod heal_support;

use argus_lsp::browser::{Browser, BrowserError};
use argus_lsp::heal::{Page, Selector, TextMatch, selector::parse};
use heal_support::{PageServer, browser, pages_dir, runtime};

/// (selector, expected number of matches, the first match's id or text)
fn cases() -> Vec<(Selector, usize, &'static str)> {
    let p = |s: &str| parse(s).unwrap();
    let role = |r: &str, n: Option<TextMatch>| Selector::Role { role: r.into(), name: n };
    vec![
        (p("role=button[name=\"buy\"]"), 2, "Buy"), // loose: "Buy" and "Buy now"; hidden ones are not in the tree
        (p("role=button[name=\"Buy\" s]"), 1, "Buy"),
        (role("button", Some(TextMatch::loose("need help"))), 1, "Need help?"), // whitespace-normalized
        (p("role=button[name=\"Log in\"]"), 1, "Log in"), // input type=submit by its value
        (p("role=textbox[name=\"User name\"]"), 1, "user"), // label[for]
        (p("role=textbox[name=\"Password\"]"), 1, "pw"), // Playwright gives other input types textbox
        (p("role=checkbox[name=\"I agree\"]"), 1, "agree"),
        (p("role=link"), 1, "Docs"), // <a> without href is no link
        (p("role=navigation[name=\"Main\"]"), 1, "Docs No href"),
        (p("role=heading[name=\"Sign in\"]"), 1, "Sign in"),
        (p("role=img[name=\"Company logo\"]"), 1, ""),
        (p("text=Buy"), 4, "Buy"), // the span (not its button), Buy now, and the two hidden ones
        (p("text=\"Buy\""), 1, "Buy"),
        (p("text=hello world, AND"), 1, "Hello world, and welcome"),
        (Selector::Label { text: TextMatch::loose("password") }, 1, "pw"), // wrapping label
        (Selector::Label { text: TextMatch::loose("i agree") }, 1, "agree"), // aria-label
        (Selector::Placeholder { text: TextMatch::loose("JANE") }, 1, "user"),
        (Selector::Alt { text: TextMatch::exact("Company logo") }, 1, ""),
        (Selector::Title { text: TextMatch::loose("help") }, 1, "Need help?"),
        (p("data-testid=fancy"), 1, "Fancy"),
        (p("data-test=fancy-test"), 1, "Fancy"),
        (p("data-testid=fanc"), 0, ""), // test ids are exact
        (p("form > button"), 5, "Need help?"),
        (p("xpath=//form/input[@type='submit']"), 1, "Log in"),
    ]
}

#[test]
fn locators_follow_playwright_matching_and_visibility() {
    runtime().block_on(async {
        let server = PageServer::start(pages_dir());
        let mut b = browser();
        assert_eq!(b.sessions_started(), 0, "nothing starts before the first page");
        b.open(&server.url("locators.html")).await.unwrap();
        let mut failures = Vec::new();
        for (sel, count, first) in cases() {
            let r = b.query(&sel).await.unwrap();
            let m = r.matches.first();
            let shown = m.map(|m| if m.id.is_some() && first == m.id.as_deref().unwrap() { first } else { m.text.as_str() });
            if r.count != count || (count > 0 && shown != Some(first)) {
                failures.push(format!("{sel:?}: {} matches, first {:?}; expected {count}, {first:?}", r.count, m));
            }
        }
        // Visibility as reported: display:none, visibility:hidden are not visible.
        for (css, visible) in [("#user", true), ("button[style]", false), ("#invisible", false)] {
            let r = b.query(&Selector::css(css)).await.unwrap();
            if r.matches.first().map(|m| m.visible) != Some(visible) {
                failures.push(format!("{css}: visible should be {visible}: {:?}", r.matches));
            }
        }
        let bad = b.query(&Selector::css("button[")).await.unwrap();
        assert!(bad.error.is_some() && bad.count == 0, "invalid CSS is reported, not thrown: {bad:?}");
        assert_eq!(b.sessions_started(), 1);
        b.shutdown().await;
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}

#[test]
fn refused_origins_are_never_opened_and_a_dead_session_is_restarted() {
    runtime().block_on(async {
        let server = PageServer::start(pages_dir());
        let mut b: Browser = browser();
        for url in ["https://example.org/", "http://192.168.1.10/", "file:///etc/hostname"] {
            match b.goto(url).await {
                Err(BrowserError::Refused(why)) => assert!(why.contains("refusing to open"), "{why}"),
                other => panic!("{url} must be refused: {other:?}"),
            }
        }
        assert_eq!(b.sessions_started(), 0, "a refused page starts no browser");

        b.open(&server.url("locators.html")).await.unwrap();
        let pid = b.driver_pid().unwrap();
        b.open(&server.url("shop.html")).await.unwrap();
        assert_eq!((b.sessions_started(), b.driver_pid()), (1, Some(pid)), "the warm session is reused");

        // Kill chromedriver and its Chromium: the next page restarts them.
        unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        std::thread::sleep(std::time::Duration::from_millis(200));
        b.open(&server.url("locators.html")).await.unwrap();
        assert_eq!(b.sessions_started(), 2);
        assert_ne!(b.driver_pid(), Some(pid));
        let r = b.query(&parse("data-testid=fancy").unwrap()).await.unwrap();
        assert_eq!(r.count, 1, "the page script is injected again in the new session");

        b.shutdown().await;
        assert_eq!(b.driver_pid(), None);
        // SAFETY: signal 0 only checks existence.
        assert_ne!(unsafe { libc::kill(pid as i32, 0) }, 0, "the old chromedriver is gone");
    });
}

#[test]
fn dropping_the_browser_stops_chromedriver_and_chromium() {
    let pid = runtime().block_on(async {
        let server = PageServer::start(pages_dir());
        let mut b = browser();
        b.open(&server.url("shop.html")).await.unwrap();
        b.driver_pid().unwrap()
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    // SAFETY: signal 0 only checks existence; the group id is the driver's pid.
    assert_ne!(unsafe { libc::kill(-(pid as i32), 0) }, 0, "no process of the driver's group is left");
}
