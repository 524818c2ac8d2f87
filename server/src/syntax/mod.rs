//! Tree-sitter parsing and the syntax model (tests, locators, waits, assertions, navigation).
//!
//! Pure: text in, `FileModel` out. What counts as what is written as queries in
//! `grammars/<language>/*.scm`, compiled into the binary.

mod assertions;
mod extract;
pub mod incremental;
mod locators;
mod lower;
pub mod model;
mod plan;
pub mod queries;
pub mod render;
mod scan;
mod strings;
mod tests_extract;
mod waits;

pub use locators::{playwright_strategy, selenium_strategy, wdio_strategy};
pub use model::*;

use std::cell::RefCell;

use crate::text::ByteEdit;

/// Parse `text`; with `old` (already `edit`ed to match `text`), tree-sitter reuses unchanged nodes.
pub fn parse(language: Language, text: &str, old: Option<&tree_sitter::Tree>) -> Option<tree_sitter::Tree> {
    thread_local! {
        /// One parser per grammar per thread (the index parses files in parallel with rayon).
        static PARSERS: RefCell<[Option<tree_sitter::Parser>; 3]> = const { RefCell::new([None, None, None]) };
    }
    let slot = match language {
        Language::TypeScript => 0,
        Language::Tsx => 1,
        Language::Python => 2,
    };
    PARSERS.with(|cell| {
        let mut parsers = cell.try_borrow_mut().ok()?;
        if parsers[slot].is_none() {
            let mut p = tree_sitter::Parser::new();
            p.set_language(&ts_language(language)).ok()?;
            parsers[slot] = Some(p);
        }
        let parser = parsers[slot].as_mut()?;
        let tree = parser.parse(text, old);
        if tree.is_none() {
            // a failed parse leaves the parser mid-way; start clean next time
            parser.reset();
        }
        tree
    })
}

pub fn ts_language(language: Language) -> tree_sitter::Language {
    match language {
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Language::Python => tree_sitter_python::LANGUAGE.into(),
    }
}

/// Tell `tree` about an edit so the next `parse` can reuse it.
pub fn edit_tree(tree: &mut tree_sitter::Tree, edit: &ByteEdit) {
    tree.edit(&tree_sitter::InputEdit {
        start_byte: edit.start_byte,
        old_end_byte: edit.old_end_byte,
        new_end_byte: edit.new_end_byte,
        start_position: tree_sitter::Point::new(edit.start_point.0, edit.start_point.1),
        old_end_position: tree_sitter::Point::new(edit.old_end_point.0, edit.old_end_point.1),
        new_end_position: tree_sitter::Point::new(edit.new_end_point.0, edit.new_end_point.1),
    });
}

/// Build the model of a parsed file. Never panics on user input.
pub fn extract(language: Language, tree: &tree_sitter::Tree, text: &str) -> FileModel {
    extract::run(language, tree, text, queries::Scope::All)
}

/// Only the tests of a file, as a listing shows them (no locators, waits, …, and no steps or
/// tags): listings then skip compiling and running the other queries.
pub fn parse_tests(language: Language, text: &str) -> FileModel {
    match parse(language, text, None) {
        Some(tree) => listing(language, &tree, text),
        None => FileModel::empty(language),
    }
}

fn listing(language: Language, tree: &tree_sitter::Tree, text: &str) -> FileModel {
    let mut model = extract::run(language, tree, text, queries::Scope::TestsOnly);
    // title tags are found on the way; the `{ tag }` options are not: leave both out
    for test in &mut model.tests {
        test.tags.clear();
    }
    model
}

/// `parse_tests` of many files on all cores. Compiling a pattern costs more than running it
/// over a whole suite, so the files are parsed first, and the patterns they need are compiled
/// side by side before the tests are extracted.
pub fn list_tests(files: &[(Language, &str)]) -> Vec<FileModel> {
    use rayon::prelude::*;
    let scope = queries::Scope::TestsOnly;
    let parsed: Vec<Option<tree_sitter::Tree>> = files.par_iter().map(|(language, text)| parse(*language, text, None)).collect();
    let mut wanted: Vec<(Language, usize)> = files
        .par_iter()
        .zip(&parsed)
        .flat_map_iter(|((language, text), tree)| {
            let set = tree.as_ref().and_then(|_| queries::queries_in(*language, scope));
            let needed = match (set, tree) {
                (Some(set), Some(tree)) => queries::needed(set, tree.root_node(), text),
                _ => Vec::new(),
            };
            needed.into_iter().map(|p| (*language, p))
        })
        .collect();
    wanted.sort_unstable_by_key(|(l, p)| (*l as u8, *p));
    wanted.dedup();

    for language in [Language::TypeScript, Language::Tsx, Language::Python] {
        let patterns: Vec<usize> = wanted.iter().filter(|(l, _)| *l == language).map(|(_, p)| *p).collect();
        if let Some(set) = queries::queries_in(language, scope).filter(|_| !patterns.is_empty()) {
            queries::warm(set, &patterns);
        }
    }
    files
        .par_iter()
        .zip(parsed)
        .map(|((language, text), tree)| match tree {
            Some(tree) => listing(*language, &tree, text),
            None => FileModel::empty(*language),
        })
        .collect()
}

/// What the workspace index keeps of a file it does not have open: its tests (without steps or
/// tags) and its page objects (only the locators bound to names, with their bindings); no
/// waits, assertions, navigations, or locators used in place.
pub fn parse_for_index(language: Language, text: &str) -> FileModel {
    match parse(language, text, None) {
        Some(tree) => extract::run(language, &tree, text, queries::Scope::Index),
        None => FileModel::empty(language),
    }
}

/// Parse and extract in one go (CLI, index, tests).
pub fn parse_model(language: Language, text: &str) -> FileModel {
    match parse(language, text, None) {
        Some(tree) => extract(language, &tree, text),
        None => FileModel::empty(language),
    }
}
