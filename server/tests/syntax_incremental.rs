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
