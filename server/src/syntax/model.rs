//! The syntax model: plain data with exact byte spans into the document text.
//!
//! Everything here is produced by `syntax::parse` from tree-sitter queries in
//! `grammars/<language>/*.scm`; nothing here knows about LSP or IO.

use serde::Serialize;

/// A half-open byte range `[start, end)` into the document's UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn contains_offset(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// `.ts .mts .cts`
    TypeScript,
    /// `.tsx .js .jsx .mjs .cjs` (the TSX grammar parses plain JavaScript too)
    Tsx,
    /// `.py`
    Python,
}

impl Language {
    /// Language by file extension; `None` for files argus does not read.
    pub fn from_path(path: &str) -> Option<Language> {
        let ext = path.rsplit_once('.')?.1;
        match ext {
            "ts" | "mts" | "cts" => Some(Language::TypeScript),
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Some(Language::Tsx),
            "py" => Some(Language::Python),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    Playwright,
    Selenium,
    Cypress,
    WebdriverIO,
    Pytest,
    Unittest,
    Mocha,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Playwright => "playwright",
            Framework::Selenium => "selenium",
            Framework::Cypress => "cypress",
            Framework::WebdriverIO => "webdriverio",
            Framework::Pytest => "pytest",
            Framework::Unittest => "unittest",
            Framework::Mocha => "mocha",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// `test('…', …)` from `@playwright/test`
    PlaywrightTest,
    /// `it('…', …)` (mocha, Cypress, WebdriverIO)
    It,
    /// `def test_…` at module level or in a `class Test…`
    PytestFunction,
    /// `def test…` in a `unittest.TestCase` subclass
    UnittestMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Tag {
    Only,
    Skip,
    Fixme,
    Fail,
    Slow,
    /// `@pytest.mark.<name>` other than skip/only (e.g. `parametrize`, `flaky`)
    Mark(String),
    /// Playwright tags: `@smoke` in the title or `{ tag: '@smoke' }`
    Tag(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestCase {
    /// Describe / class nesting, then the test's own title (function name for Python).
    pub title_path: Vec<String>,
    pub kind: TestKind,
    pub framework: Framework,
    /// The whole call (`test('x', async () => {…})`) or the whole function definition
    /// (decorators included).
    pub span: Span,
    /// The title string's contents, or the function name.
    pub name_span: Span,
    pub steps: Vec<Step>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub title: String,
    pub span: Span,
    pub name_span: Span,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Css,
    XPath,
    TestId,
    /// `getByRole('button', { name: 'Save' })`: value is the role, `name` the accessible name
    Role,
    Text,
    Label,
    Placeholder,
    AltText,
    Title,
    Id,
    Name,
    ClassName,
    TagName,
    LinkText,
    PartialLinkText,
    /// A Playwright selector with an engine prefix other than css/xpath/text/id
    /// (`data-testid=`, `internal:…`), or anything not classified further.
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Modifier {
    Nth { index: Option<i64> },
    First,
    Last,
    Filter { has_text: Option<String>, has_not_text: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Locator {
    pub framework: Framework,
    pub strategy: Strategy,
    /// The selector as written, without quotes. For dynamic values, placeholders are kept
    /// in source form (`${id}`, `{user_id}`).
    pub value: String,
    /// The span of the string's contents (between the quotes): a heal edits exactly this.
    pub value_span: Span,
    /// The whole locator call (`page.getByRole('button', { name: 'Save' })`).
    pub call_span: Span,
    /// Accessible name (`{ name: 'Save' }`) for role locators, and its contents' span.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// `{ exact: true }`
    pub exact: bool,
    /// Index of the parent locator in `FileModel::locators` (`page.locator('form').getByRole(…)`).
    pub parent: Option<usize>,
    /// `.nth() / .first() / .last() / .filter({ hasText })` applied to this locator.
    pub modifiers: Vec<Modifier>,
    /// Placeholders of a template string / f-string / concatenation; empty when static.
    pub dynamic: Vec<String>,
    /// Index of the enclosing test in `FileModel::tests`.
    pub test: Option<usize>,
    /// Page-object binding: `this.buy = page.locator(…)` → `buy`, `BUY = (By.ID, "buy")` → `BUY`.
    pub binding: Option<String>,
    /// Where that binding is used in the same file (`this.buy.click()` → span of `this.buy`).
    pub uses: Vec<Span>,
}

impl Locator {
    pub fn is_dynamic(&self) -> bool {
        !self.dynamic.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitKind {
    /// A fixed sleep: `waitForTimeout`, `time.sleep`, `cy.wait(<number>)`, `browser.pause`.
    Hard,
    /// Waits on a condition: `waitForSelector`, `WebDriverWait(…).until(…)`, `{ timeout: N }`, …
    Explicit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wait {
    pub kind: WaitKind,
    pub framework: Framework,
    /// The API as written: `waitForTimeout`, `time.sleep`, `WebDriverWait`, `timeout` (option).
    pub api: String,
    /// Literal duration in milliseconds (seconds are converted), when the literal is a number.
    pub duration_ms: Option<u64>,
    /// The number literal's span, when there is one.
    pub duration_span: Option<Span>,
    /// The whole call (or the `timeout: N` pair for options).
    pub span: Span,
    pub test: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assertion {
    pub framework: Framework,
    /// `toHaveText`, `to_have_text`, `assertEqual`, `==`, `have.text`, …
    pub matcher: String,
    pub negated: bool,
    /// The expected literal as written (without quotes for strings).
    pub expected: Option<String>,
    /// The literal's contents' span (inside the quotes for strings).
    pub expected_span: Option<Span>,
    /// The whole assertion call / statement.
    pub span: Span,
    /// The locator it targets, index into `FileModel::locators`.
    pub locator: Option<usize>,
    pub test: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Navigation {
    pub framework: Framework,
    pub url: String,
    /// The URL string's contents.
    pub url_span: Span,
    /// The whole call.
    pub span: Span,
    pub dynamic: Vec<String>,
    pub test: Option<usize>,
}

/// Something the parser could not make sense of; never fatal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileModel {
    pub language: Language,
    pub tests: Vec<TestCase>,
    pub locators: Vec<Locator>,
    pub waits: Vec<Wait>,
    pub assertions: Vec<Assertion>,
    pub navigations: Vec<Navigation>,
    /// Syntax errors and skipped constructs, for "what was skipped" reporting.
    pub problems: Vec<Problem>,
}

impl FileModel {
    pub fn empty(language: Language) -> Self {
        FileModel {
            language,
            tests: Vec::new(),
            locators: Vec::new(),
            waits: Vec::new(),
            assertions: Vec::new(),
            navigations: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Index of the innermost test whose span contains `span`.
    pub fn test_at(&self, span: Span) -> Option<usize> {
        self.tests
            .iter()
            .enumerate()
            .filter(|(_, t)| t.span.contains(span))
            .min_by_key(|(_, t)| t.span.len())
            .map(|(i, _)| i)
    }
}
