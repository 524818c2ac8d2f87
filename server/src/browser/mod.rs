//! The headless browser that proves heals: one warm Chromium session through a chromedriver
//! argus starts itself (never downloaded), started on first use, reused, restarted when it
//! died, closed on `shutdown` or drop. Only allowed origins are ever opened.
//!
//! `Browser` implements [`crate::heal::Page`]: the page script (`js/argus.js`) is injected
//! once per page load and answers scans, Playwright-style queries and fingerprints.

mod driver;
pub mod origin;

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use thirtyfour::{ChromeCapabilities, ChromiumLikeCapabilities, DesiredCapabilities, WebDriver};
use url::Url;

use crate::heal::{self, DomTree, ElementFacts, Fingerprint, PageError, QueryResult, Selector};
use driver::DriverProcess;

const SCRIPT: &str = include_str!("js/argus.js");
/// Calls go through the installed `window.__argus`; a fresh page says it has none.
const CALL: &str = "if (!window.__argus) return {__argus_missing: true}; return window.__argus[arguments[0]](arguments[1]);";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BrowserError {
    #[error("browser: {0}")]
    Driver(String),
    #[error("browser: cannot start Chromium: {0}")]
    Session(String),
    #[error("{0}")]
    Refused(String),
    #[error("browser: {0}")]
    Page(String),
}

impl From<BrowserError> for PageError {
    fn from(e: BrowserError) -> Self {
        PageError(e.to_string())
    }
}

/// How to start the browser and where it may go.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowserSettings {
    pub chromedriver: String,
    /// Empty: found on PATH (chromium, chromium-browser, google-chrome), else chromedriver's choice.
    pub chromium: String,
    pub base_url: Option<String>,
    /// Hosts or origins, the base URL's origin included.
    pub allowed_origins: Vec<String>,
    pub timeout: Duration,
}

impl BrowserSettings {
    /// From the config; the base URL falls back to `baseURL` in `workspace`'s playwright.config.*.
    pub fn from_config(config: &crate::config::Browser, workspace: Option<&Path>) -> BrowserSettings {
        let base_url = Some(config.base_url.clone())
            .filter(|b| !b.is_empty())
            .or_else(|| workspace.and_then(origin::playwright_base_url_in));
        BrowserSettings {
            chromedriver: config.chromedriver.clone(),
            chromium: config.chromium.clone(),
            allowed_origins: origin::effective_allowed(&config.allowed_origins, base_url.as_deref()),
            base_url,
            timeout: Duration::from_millis(config.timeout_ms.max(1)),
        }
    }

    /// The URL a navigation target means, if it may be visited.
    pub fn resolve(&self, target: &str) -> Result<Url, BrowserError> {
        let url = origin::resolve(target, self.base_url.as_deref()).map_err(BrowserError::Refused)?;
        origin::check_origin(&url, &self.allowed_origins).map_err(BrowserError::Refused)?;
        Ok(url)
    }
}

struct Live {
    driver: WebDriver,
    process: DriverProcess,
}

pub struct Browser {
    settings: BrowserSettings,
    live: Option<Live>,
    /// Sessions started so far (a restart makes it 2).
    starts: usize,
}

impl Browser {
    /// Nothing starts until the first page is opened.
    pub fn new(settings: BrowserSettings) -> Browser {
        Browser { settings, live: None, starts: 0 }
    }

    pub fn settings(&self) -> &BrowserSettings {
        &self.settings
    }

    /// How many sessions were started (1 while the first lives).
    pub fn sessions_started(&self) -> usize {
        self.starts
    }

    /// The chromedriver process id, while one runs.
    pub fn driver_pid(&self) -> Option<u32> {
        self.live.as_ref().map(|l| l.process.pid())
    }

    /// Open `target` (absolute or relative to the base URL) if its origin is allowed.
    pub async fn goto(&mut self, target: &str) -> Result<Url, BrowserError> {
        let url = self.settings.resolve(target)?;
        let first = {
            let driver = self.session().await?;
            driver.goto(url.as_str()).await
        };
        if let Err(e) = first {
            if self.alive().await {
                return Err(BrowserError::Page(format!("cannot load {url}: {}", short(&e))));
            }
            // The session died under us (Chromium crashed, chromedriver killed): start over once.
            self.drop_session().await;
            let driver = self.session().await?;
            driver.goto(url.as_str()).await.map_err(|e| BrowserError::Page(format!("cannot load {url}: {}", short(&e))))?;
        }
        Ok(url)
    }

    /// One raw WebDriver `findElements` by CSS: the yardstick validation is measured against.
    pub async fn find_elements_css(&mut self, css: &str) -> Result<usize, BrowserError> {
        let driver = self.session().await?;
        let found = driver.find_all(thirtyfour::By::Css(css)).await.map_err(|e| BrowserError::Page(short(&e)))?;
        Ok(found.len())
    }

    /// Evaluate one selector on the loaded page.
    pub async fn query(&mut self, selector: &Selector) -> Result<QueryResult, BrowserError> {
        let v = self.call("query", serde_json::to_value(selector).expect("selector serializes")).await?;
        serde_json::from_value(v).map_err(|e| BrowserError::Page(format!("unexpected query result: {e}")))
    }

    /// How long after the navigation started `selector` matched one visible element on the
    /// loaded page, waiting for it up to the configured timeout (None: it never did). What
    /// the knowledge base learns wait timeouts from.
    pub async fn visible_after(&mut self, selector: &Selector) -> Result<Option<u64>, BrowserError> {
        let arg = serde_json::to_value(selector).expect("selector serializes");
        let deadline = tokio::time::Instant::now() + self.settings.timeout;
        loop {
            if let Some(ms) = self.call("visibleAt", arg.clone()).await?.as_f64() {
                return Ok(Some(ms.max(0.0) as u64));
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Quit the session and stop chromedriver (Chromium goes with it).
    pub async fn shutdown(&mut self) {
        self.drop_session().await;
    }

    async fn drop_session(&mut self) {
        if let Some(mut live) = self.live.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), live.driver.quit()).await;
            live.process.stop();
        }
    }

    async fn alive(&mut self) -> bool {
        let Some(live) = self.live.as_mut() else { return false };
        if !live.process.alive() {
            return false;
        }
        matches!(tokio::time::timeout(Duration::from_secs(5), live.driver.title()).await, Ok(Ok(_)))
    }

    /// The live session, started if there is none or the driver process is gone.
    async fn session(&mut self) -> Result<&WebDriver, BrowserError> {
        if self.live.as_mut().is_some_and(|l| !l.process.alive()) {
            self.drop_session().await;
        }
        if self.live.is_none() {
            self.live = Some(self.start().await?);
            self.starts += 1;
        }
        Ok(&self.live.as_ref().expect("just started").driver)
    }

    async fn start(&self) -> Result<Live, BrowserError> {
        let s = &self.settings;
        let binary = s.chromedriver.clone();
        let process = tokio::task::spawn_blocking(move || DriverProcess::start(&binary, Duration::from_secs(10)))
            .await
            .map_err(|e| BrowserError::Driver(e.to_string()))??;
        let caps = capabilities(&s.chromium).map_err(BrowserError::Session)?;
        let driver = WebDriver::builder(process.url(), caps)
            .request_timeout(s.timeout + Duration::from_secs(30))
            .await
            .map_err(|e| BrowserError::Session(format!("{} (browser.chromium = `{}`)", short(&e), s.chromium)))?;
        let timeouts = async {
            driver.set_page_load_timeout(s.timeout).await?;
            driver.set_script_timeout(s.timeout).await
        };
        if let Err(e) = timeouts.await {
            let _ = driver.quit().await;
            return Err(BrowserError::Session(short(&e)));
        }
        Ok(Live { driver, process })
    }

    /// Call `window.__argus[method](arg)`, installing the page script when the page has none.
    async fn call(&mut self, method: &str, arg: Value) -> Result<Value, BrowserError> {
        let driver = self.session().await?.clone();
        let args = vec![json!(method), arg];
        let run = |script: &'static str| {
            let driver = driver.clone();
            let args = args.clone();
            async move {
                driver.execute(script, args).await.map(|r| r.json().clone()).map_err(|e| BrowserError::Page(short(&e)))
            }
        };
        let mut v = run(CALL).await?;
        if v.get("__argus_missing").is_some() {
            driver
                .execute(format!("window.__argus = {SCRIPT}; return true;"), Vec::new())
                .await
                .map_err(|e| BrowserError::Page(format!("cannot inject the page script: {}", short(&e))))?;
            v = run(CALL).await?;
        }
        Ok(v)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(mut live) = self.live.take() {
            // No async here: stopping the process group ends the session with it, and leaking
            // the handle avoids thirtyfour's blocking teardown.
            live.process.stop();
            let _ = live.driver.leak();
        }
    }
}

fn capabilities(chromium: &str) -> Result<ChromeCapabilities, String> {
    let mut caps = DesiredCapabilities::chrome();
    let mut args = vec!["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1024"];
    // Chromium refuses to run as root inside its sandbox.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        args.push("--no-sandbox");
    }
    for a in args {
        caps.add_arg(a).map_err(|e| e.to_string())?;
    }
    if let Some(binary) = chromium_binary(chromium) {
        caps.set_binary(&binary).map_err(|e| e.to_string())?;
    }
    Ok(caps)
}

fn chromium_binary(configured: &str) -> Option<String> {
    if !configured.is_empty() {
        return Some(configured.to_string());
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()).map(|p| p.display().to_string())
    })
}

/// WebDriver errors carry whole stack traces; keep the first line.
fn short(e: &impl std::fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

impl heal::Page for Browser {
    async fn open(&mut self, url: &str) -> Result<(), PageError> {
        self.goto(url).await?;
        Ok(())
    }

    async fn scan(&mut self) -> Result<DomTree, PageError> {
        let rows = self.call("scan", Value::Null).await?;
        DomTree::from_scan(&rows).map_err(PageError)
    }

    async fn describe(&mut self, xpaths: &[String], test_id_attributes: &[String]) -> Result<Vec<Option<ElementFacts>>, PageError> {
        let v = self.call("describeMany", json!({"xpaths": xpaths, "test_id_attributes": test_id_attributes})).await?;
        serde_json::from_value(v).map_err(|e| PageError(format!("unexpected element facts: {e}")))
    }

    async fn query_many(&mut self, selectors: &[Selector]) -> Result<Vec<QueryResult>, PageError> {
        let v = self.call("queryMany", serde_json::to_value(selectors).expect("selectors serialize")).await?;
        serde_json::from_value(v).map_err(|e| PageError(format!("unexpected query results: {e}")))
    }

    async fn snapshot(&mut self, selector: &Selector) -> Result<(QueryResult, Option<Fingerprint>), PageError> {
        let v = self.call("snapshot", serde_json::to_value(selector).expect("selector serializes")).await?;
        let fingerprint = match v.get("fingerprint") {
            None | Some(Value::Null) => None,
            Some(f) => Some(serde_json::from_value(f.clone()).map_err(|e| PageError(format!("unexpected fingerprint: {e}")))?),
        };
        let result = QueryResult {
            count: v["count"].as_u64().unwrap_or(0) as usize,
            matches: serde_json::from_value(v["matches"].clone()).unwrap_or_default(),
            error: v["error"].as_str().map(String::from),
        };
        Ok((result, fingerprint))
    }
}
