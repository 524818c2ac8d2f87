//! One snapshot per fixture under tests/fixtures/syntax: the model rendered with every span as
//! `line:col-line:col "text"`, so that spans can be checked by eye.

use argus_lsp::syntax::{Language, parse_model, render::render};

fn check(rel: &str) {
    let path = format!("{}/../tests/fixtures/syntax/{rel}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let language = Language::from_path(rel).expect("known extension");
    let model = parse_model(language, &text);
    let name = rel.replace(['/', '.'], "_");
    insta::with_settings!({ snapshot_path => "snapshots/syntax", prepend_module_to_snapshot => false, omit_expression => true, description => rel }, {
        insta::assert_snapshot!(name, render(&model, &text));
    });
}

#[test]
fn playwright_ts_checkout() {
    check("playwright/checkout.spec.ts");
}

#[test]
fn playwright_python_login() {
    check("playwright-python/test_login.py");
}

#[test]
fn selenium_python_shop() {
    check("selenium-python/test_shop.py");
}

#[test]
fn selenium_js_login() {
    check("selenium-js/login.test.js");
}

#[test]
fn cypress_cart() {
    check("cypress/cart.cy.js");
}

#[test]
fn webdriverio_login() {
    check("webdriverio/login.e2e.ts");
}
