//! Which pages the browser may open, and which page a test's navigation means. Pure.

use std::path::Path;

use url::Url;

/// Check `url` against `allowed`: entries are hosts (`localhost`, `127.0.0.1`: any scheme
/// and port) or origins (`https://staging.example.com:8443`: exactly that). Only http(s).
pub fn check_origin(url: &Url, allowed: &[String]) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("refusing to open {url}: only http and https pages are visited"));
    }
    let host = url.host_str().unwrap_or_default();
    let origin = url.origin().ascii_serialization();
    let ok = allowed.iter().any(|entry| {
        let entry = entry.trim().trim_end_matches('/');
        if entry.contains("://") {
            Url::parse(entry).is_ok_and(|e| e.origin() == url.origin())
        } else {
            entry.trim_start_matches('[').trim_end_matches(']').eq_ignore_ascii_case(host.trim_start_matches('[').trim_end_matches(']'))
        }
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "refusing to open {url}: origin {origin} is not in browser.allowed_origins ({}); add it to argus.toml to allow it",
            allowed.join(", ")
        ))
    }
}

/// The configured hosts/origins plus the base URL's origin.
pub fn effective_allowed(configured: &[String], base_url: Option<&str>) -> Vec<String> {
    let mut out = configured.to_vec();
    if let Some(origin) = base_url.and_then(|b| Url::parse(b).ok()).map(|u| u.origin().ascii_serialization())
        && origin != "null" && !out.contains(&origin) {
            out.push(origin);
        }
    out
}

/// The page a navigation means: absolute http(s) URLs as they are, relative ones joined
/// with the base URL (as Playwright joins `page.goto('/x')` with `baseURL`).
pub fn resolve(target: &str, base_url: Option<&str>) -> Result<Url, String> {
    let target = target.trim();
    match Url::parse(target) {
        Ok(u) => Ok(u),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let base = base_url.filter(|b| !b.is_empty()).ok_or_else(|| {
                format!("`{target}` is relative: set browser.base_url or baseURL in playwright.config.*")
            })?;
            let base = Url::parse(base).map_err(|e| format!("base URL `{base}`: {e}"))?;
            base.join(target).map_err(|e| format!("`{target}` against `{base}`: {e}"))
        }
        Err(e) => Err(format!("`{target}` is not a URL: {e}")),
    }
}

/// `baseURL` from the text of a playwright.config.*: the first http(s) string literal
/// given to `baseURL` (so `process.env.BASE_URL ?? 'http://localhost:3000'` gives the fallback).
pub fn playwright_base_url(config_text: &str) -> Option<String> {
    let re = regex::Regex::new(r#"baseURL\s*:\s*[^,\n}]*?(['"`])(https?://[^'"`\s]+)['"`]"#).ok()?;
    re.captures(config_text).map(|c| c[2].to_string())
}

/// `baseURL` from the first playwright.config.{ts,js,mts,mjs,cts,cjs} in `dir`.
pub fn playwright_base_url_in(dir: &Path) -> Option<String> {
    ["ts", "js", "mts", "mjs", "cts", "cjs"]
        .iter()
        .filter_map(|ext| std::fs::read_to_string(dir.join(format!("playwright.config.{ext}"))).ok())
        .find_map(|text| playwright_base_url(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        effective_allowed(&["localhost".into(), "127.0.0.1".into()], Some("https://staging.example.com/app"))
    }

    #[test]
    fn local_hosts_on_any_port_and_the_base_origin_are_allowed() {
        for ok in ["http://localhost:3000/x", "http://127.0.0.1:9/", "https://localhost/", "https://staging.example.com/cart"] {
            assert_eq!(check_origin(&Url::parse(ok).unwrap(), &allowed()), Ok(()), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_origin_named() {
        let why = check_origin(&Url::parse("https://example.org/login").unwrap(), &allowed()).unwrap_err();
        assert!(why.contains("https://example.org") && why.contains("browser.allowed_origins"), "{why}");
        let other_port = check_origin(&Url::parse("https://staging.example.com:8443/").unwrap(), &allowed());
        assert!(other_port.is_err(), "an origin entry is exact, port included");
        let sub = check_origin(&Url::parse("http://localhost.evil.com/").unwrap(), &allowed());
        assert!(sub.is_err(), "hosts compare whole, not by prefix");
        let file = check_origin(&Url::parse("file:///etc/passwd").unwrap(), &allowed()).unwrap_err();
        assert!(file.contains("only http and https"), "{file}");
    }

    #[test]
    fn relative_navigations_join_the_base_url() {
        assert_eq!(resolve("/cart", Some("http://localhost:3000/shop/")).unwrap().as_str(), "http://localhost:3000/cart");
        assert_eq!(resolve("cart", Some("http://localhost:3000/shop/")).unwrap().as_str(), "http://localhost:3000/shop/cart");
        assert_eq!(resolve("http://127.0.0.1:1/x", None).unwrap().as_str(), "http://127.0.0.1:1/x");
        assert!(resolve("/cart", None).unwrap_err().contains("browser.base_url"));
    }

    #[test]
    fn base_url_is_read_from_playwright_configs() {
        let ts = "export default defineConfig({\n  use: {\n    baseURL: 'http://localhost:3000',\n  },\n});";
        assert_eq!(playwright_base_url(ts).as_deref(), Some("http://localhost:3000"));
        let env = "use: { baseURL: process.env.BASE_URL ?? \"http://127.0.0.1:8080/app\", trace: 'on' }";
        assert_eq!(playwright_base_url(env).as_deref(), Some("http://127.0.0.1:8080/app"));
        assert_eq!(playwright_base_url("use: { baseURL: process.env.BASE_URL }, x: 'http://a'"), None);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("playwright.config.js"), "module.exports = { use: { baseURL: `http://localhost:5173` } }").unwrap();
        assert_eq!(playwright_base_url_in(dir.path()).as_deref(), Some("http://localhost:5173"));
    }
}
