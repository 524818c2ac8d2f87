//! Every query file compiles for every grammar that uses it (TypeScript queries for both the
//! TypeScript and the TSX grammar).

use argus_lsp::syntax::{Language, queries};

#[test]
fn all_queries_compile_for_every_grammar() {
    for language in [Language::TypeScript, Language::Tsx, Language::Python] {
        if let Err(errors) = queries::compile(language) {
            panic!("queries failed to compile:\n{}", errors.join("\n"));
        }
        assert!(queries::queries(language).is_some());
    }
}

#[test]
fn every_query_kind_has_patterns() {
    for language in [Language::TypeScript, Language::Tsx, Language::Python] {
        let set = queries::compile(language).unwrap_or_else(|e| panic!("{e:?}"));
        for kind in queries::KINDS {
            assert!(set.pattern_count(kind) > 0, "{language:?} {kind:?} has no patterns");
        }
    }
}
