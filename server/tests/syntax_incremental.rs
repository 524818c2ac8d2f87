//! Reparsing with an edited old tree gives the same model as a fresh parse.

use argus_lsp::syntax::{Language, edit_tree, extract, parse, parse_model};
use argus_lsp::text::{Document, Position, PositionEncoding, Range, TextChange};

fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextChange {
    TextChange { range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))), text: text.to_string() }
}

fn run(lang: Language, src: &str, edits: Vec<Vec<TextChange>>) {
    let mut doc = Document::new(src, 1);
    let mut tree = parse(lang, src, None).expect("tree");
    for (v, changes) in edits.into_iter().enumerate() {
        let byte_edits = doc.apply(v as i32 + 2, &changes, PositionEncoding::Utf16).expect("apply");
        for e in &byte_edits {
            edit_tree(&mut tree, e);
        }
        let text = doc.text();
        tree = parse(lang, &text, Some(&tree)).expect("reparse");
        let incremental = extract(lang, &tree, &text);
        let fresh = parse_model(lang, &text);
        assert_eq!(incremental, fresh, "after edit {v}:\n{text}");
    }
}

#[test]
fn typescript_edits_match_fresh_parse() {
    let src = "test('a', async ({ page }) => {\n  await page.locator('#one').click();\n  await page.waitForTimeout(100);\n});\n";
    run(
        Language::TypeScript,
        src,
        vec![
            vec![change(1, 23, 1, 27, "#two")],
            vec![change(2, 28, 2, 31, "2500")],
            vec![change(3, 3, 3, 3, "\ntest('b @x', async ({ page }) => { await expect(page.getByText('Hé')).toBeVisible(); });")],
            vec![change(0, 6, 0, 7, "renamed"), change(1, 0, 1, 0, "  // é🎉 comment\n")],
            vec![change(1, 0, 2, 0, "")],
            vec![change(0, 0, 0, 0, "((((")], // break the syntax
            vec![change(0, 0, 0, 4, "")],      // and fix it
        ],
    );
}

#[test]
fn python_edits_match_fresh_parse() {
    let src = "def test_a(page):\n    page.locator('#one').click()\n    time.sleep(1)\n";
    run(
        Language::Python,
        src,
        vec![
            vec![change(1, 18, 1, 22, "#two")],
            vec![change(2, 15, 2, 16, "3")],
            vec![change(3, 0, 3, 0, "\nclass TestX:\n    def test_b(self, page):\n        expect(page.get_by_text(f'{x}')).to_have_text('y')\n")],
            vec![change(0, 4, 0, 10, "test_renamed")],
            vec![change(1, 4, 1, 4, "if x:\n")],
        ],
    );
}

// ---- extracting again after an edit (only the block around it) equals a full extraction ----

use argus_lsp::config::Config;
use argus_lsp::syntax::incremental::{extract_with_state, reextract};
use argus_lsp::workspace::{FileAnalysis, Workspace};

/// The fixtures and examples, with their language.
fn sources() -> Vec<(Language, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    let mut dirs = vec![root.join("tests/fixtures/syntax"), root.join("tests/examples")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "node_modules") {
                    dirs.push(path);
                }
            } else if let Some(language) = Language::from_path(&path.to_string_lossy())
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((language, path.display().to_string(), text));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    assert!(out.len() >= 10);
    out
}

/// What typing brings: characters and whole statements that keep the syntax.
const GENTLE: [&str; 16] = [
    "x", "a", " ", "\n", "page", "test", "  await page.locator('#z').click();\n", "expect(page.getByText('k')).toBeVisible();\n",
    "const q = page.locator('q');\n", "await q.first().click();\n", "cy.get('.c').click();\n", "await page.waitForTimeout(100);\n",
    "await test.step('s', async () => {\n  await page.goto('/x');\n});\n", "time.sleep(2)\n", "driver.find_element(By.ID, \"d\").click()\n",
    "expect(page.get_by_role(\"button\", name=\"b\")).to_be_visible()\n",
];

/// And what half-typed code or a stray paste brings.
const HARSH: [&str; 16] = [
    "'", "\"", "(", ")", "{", "}", ";", ".", ",", ".only", "By.ID, \"i\"", "self.", "this.po = page.locator('p');\n", "test.step('s', async () => {\n",
    "});\n", "describe('d', () => {\n",
];

/// A random change somewhere in `text`: mostly typing (small insertions and deletions), some
/// larger cuts and pastes; positions in UTF-16.
fn random_change(rng: &mut fastrand::Rng, doc: &Document) -> TextChange {
    let text = doc.text();
    let lines: Vec<&str> = text.split('\n').collect();
    let line = rng.usize(..lines.len());
    let len16 = |s: &str| s.encode_utf16().count() as u32;
    let col = rng.u32(..=len16(lines[line]));
    let (end_line, end_col) = match rng.u8(..10) {
        0..=5 => (line, col),
        6..=8 => (line, (col + rng.u32(1..4)).min(len16(lines[line]))),
        _ => {
            let l = (line + rng.usize(0..3)).min(lines.len() - 1);
            (l, rng.u32(..=len16(lines[l])))
        }
    };
    let (a, b) = ((line as u32, col), (end_line as u32, end_col));
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let insert = match rng.u8(..10) {
        0..=1 => String::new(),
        2..=7 => GENTLE[rng.usize(..GENTLE.len())].to_string(),
        _ => HARSH[rng.usize(..HARSH.len())].to_string(),
    };
    change(a.0, a.1, b.0, b.1, &insert)
}

#[test]
fn extracting_again_after_random_edits_equals_a_full_extraction() {
    let mut rng = fastrand::Rng::with_seed(std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(2));
    let (mut fast, mut total) = (0, 0);
    for (language, path, src) in sources() {
        let mut doc = Document::new(&src, 1);
        let mut text = src.clone();
        let mut tree = parse(language, &text, None).expect("tree");
        let (mut model, mut state) = extract_with_state(language, &tree, &text);
        for v in 0..80 {
            if v % 20 == 0 {
                // start again from the file as it was
                doc = Document::new(&src, v + 1);
                text = src.clone();
                tree = parse(language, &text, None).expect("tree");
                (model, state) = extract_with_state(language, &tree, &text);
            }
            let changes: Vec<TextChange> = (0..if rng.u8(..8) == 0 { 2 } else { 1 }).map(|_| random_change(&mut rng, &doc)).collect();
            let edits = doc.apply(v + 2, &changes, PositionEncoding::Utf16).expect("apply");
            assert!(edits.len() == changes.len());
            let old_tree = tree.clone();
            for e in &edits {
                edit_tree(&mut tree, e);
            }
            let new_text = doc.text();
            let new_tree = parse(language, &new_text, Some(&tree)).expect("reparse");
            let (full, full_state) = extract_with_state(language, &new_tree, &new_text);
            total += 1;
            if reextract(language, &old_tree, &text, &tree, &new_tree, &new_text, &edits, &mut model, &mut state).is_some() {
                fast += 1;
                assert_eq!(model, full, "{path}, edit {v} ({changes:?}):\n{new_text}");
                assert_eq!(state, full_state, "{path}, edit {v} ({changes:?}): state\n{new_text}");
            } else {
                // nothing changed when it declines
                model = full;
                state = full_state;
            }
            tree = new_tree;
            text = new_text;
        }
    }
    // many random edits land outside any function body, or break the syntax around them
    assert!(fast * 5 > total, "the block path was taken {fast} times of {total}");
}

/// The workspace's analysis after each edit equals a full extraction and lint of the same tree
/// (tree-sitter's incremental parse of broken code may differ from a fresh parse of it, so the
/// reference keeps its own tree, edited alongside).
#[test]
fn the_workspace_gives_the_same_analysis_after_each_edit_as_a_full_extraction() {
    let mut rng = fastrand::Rng::with_seed(std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(11));
    let config = Config::default();
    for (language, path, src) in sources() {
        let mut ws = Workspace::new(None, PositionEncoding::Utf16);
        let file = std::path::PathBuf::from(&path);
        ws.open(file.clone(), None, &src, 1).unwrap();
        let mut doc = Document::new(&src, 1);
        let mut tree = parse(language, &src, None).expect("tree");
        for v in 2..40 {
            let changes = vec![random_change(&mut rng, &doc)];
            let after = ws.change(&file, v, &changes).unwrap().unwrap().unwrap().clone();
            for e in &doc.apply(v, &changes, PositionEncoding::Utf16).expect("apply") {
                edit_tree(&mut tree, e);
            }
            let text = doc.text();
            tree = parse(language, &text, Some(&tree)).expect("reparse");
            let full = FileAnalysis::new(doc.clone(), extract(language, &tree, &text), &config);
            assert_eq!(after.doc.text(), text);
            assert_eq!(after.model, full.model, "{path}, version {v} ({changes:?}):\n{text}");
            assert_eq!(after.findings, full.findings, "{path}, version {v} ({changes:?}): findings\n{text}");
        }
    }
}
