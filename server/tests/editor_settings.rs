//! The editors against the server's real `Config`: the VS Code extension's `argus.*` settings
//! (names, defaults, types) cannot drift from it, and the snippets in `editors/README.md`
//! parse and carry settings the server accepts without a warning.
//! (Lua snippets are compiled by the headless Neovim suite, `editors/neovim/tests/run.lua`.)

use std::collections::BTreeMap;
use std::path::PathBuf;

use argus_lsp::analysis::LintCode;
use argus_lsp::config::Config;
use serde_json::{Map, Value, json};

/// Config fields with no effect in an editor: `fail_level` only sets `argus-lsp check`'s exit status.
const NOT_CLIENT_SETTINGS: &[&str] = &["fail_level"];
/// Settings the extension uses itself and never sends to the server.
const CLIENT_ONLY: &[&str] = &["argus.server.path", "argus.trace.server"];
/// Map-typed fields: one object-valued setting, not one setting per key.
const MAPS: &[&str] = &["lints"];
const SEVERITIES: [&str; 5] = ["off", "hint", "info", "warning", "error"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `selectors.max_combinators` → value, for every leaf of the default Config.
fn config_leaves() -> BTreeMap<String, Value> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
        for (key, v) in value.as_object().expect("Config serializes to an object") {
            let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
            if v.is_object() && !MAPS.contains(&path.as_str()) {
                walk(&path, v, out);
            } else {
                out.insert(path, v.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", &serde_json::to_value(Config::default()).unwrap(), &mut out);
    out
}

fn vscode_settings() -> Map<String, Value> {
    let pkg: Value = serde_json::from_str(&read("editors/vscode/package.json")).expect("package.json is JSON");
    pkg["contributes"]["configuration"]["properties"].as_object().expect("contributes.configuration.properties").clone()
}

/// Dotted `argus.a.b` keys → `{ "a": { "b": … } }`, as the extension sends them.
fn nest(flat: impl IntoIterator<Item = (String, Value)>) -> Value {
    let mut out = Value::Object(Map::new());
    for (key, value) in flat {
        let parts: Vec<&str> = key.strip_prefix("argus.").expect("argus.* key").split('.').collect();
        let mut node = &mut out;
        for part in &parts[..parts.len() - 1] {
            node = node.as_object_mut().unwrap().entry(*part).or_insert_with(|| json!({}));
        }
        node[parts[parts.len() - 1]] = value;
    }
    out
}

/// Merge client settings over the defaults: the server must take them without a warning.
fn assert_accepted(settings: &Value, what: &str) -> Config {
    let loaded = Config::default().merged_with_json(settings, what).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(loaded.warnings, Vec::<String>::new(), "{what}: {settings}");
    loaded.config
}

#[test]
fn every_client_relevant_config_field_is_a_vscode_setting_with_the_same_default() {
    let leaves = config_leaves();
    let settings = vscode_settings();
    for field in NOT_CLIENT_SETTINGS {
        assert!(leaves.contains_key(*field), "NOT_CLIENT_SETTINGS names `{field}`, which Config no longer has");
    }
    let mut problems = Vec::new();
    for (field, default) in leaves.iter().filter(|(f, _)| !NOT_CLIENT_SETTINGS.contains(&f.as_str())) {
        let key = format!("argus.{field}");
        match settings.get(&key) {
            None => problems.push(format!("missing setting `{key}` (Config field `{field}`, default {default})")),
            Some(s) if s.get("default") != Some(default) => {
                problems.push(format!("`{key}` default {:?}, Config default {default}", s.get("default")))
            }
            Some(_) => {}
        }
    }
    for key in settings.keys() {
        let field = key.strip_prefix("argus.").unwrap_or(key);
        let known = leaves.contains_key(field) && !NOT_CLIENT_SETTINGS.contains(&field);
        if !known && !CLIENT_ONLY.contains(&key.as_str()) {
            problems.push(format!("setting `{key}` matches no client-relevant Config field"));
        }
    }
    assert!(problems.is_empty(), "editors/vscode/package.json vs Config:\n{}", problems.join("\n"));
}

#[test]
fn vscode_setting_types_fit_their_values_and_lints_list_every_code() {
    for (key, s) in vscode_settings() {
        let default = &s["default"];
        let fits = match s["type"].as_str().unwrap_or_else(|| panic!("`{key}` has no type")) {
            "string" => default.is_string(),
            "integer" => default.is_u64() || default.is_i64(),
            "number" => default.is_number(),
            "boolean" => default.is_boolean(),
            "array" => default.is_array(),
            "object" => default.is_object(),
            other => panic!("`{key}`: unexpected type {other}"),
        };
        assert!(fits, "`{key}`: default {default} is not a {}", s["type"]);
    }
    let lints = &vscode_settings()["argus.lints"];
    let listed: Vec<&str> = lints["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    let mut codes: Vec<&str> = LintCode::ALL.iter().map(|c| c.as_str()).collect();
    codes.sort();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(listed_sorted, codes, "argus.lints.properties must list exactly the server's lint codes");
    for (code, p) in lints["properties"].as_object().unwrap() {
        assert_eq!(p["enum"], json!(SEVERITIES), "argus.lints.{code}");
    }
    assert_eq!(lints["additionalProperties"]["enum"], json!(SEVERITIES));
}

#[test]
fn every_vscode_setting_at_its_default_is_accepted_and_changes_nothing() {
    let flat = vscode_settings()
        .into_iter()
        .filter(|(k, _)| !CLIENT_ONLY.contains(&k.as_str()))
        .map(|(k, s)| (k, s["default"].clone()));
    let settings = nest(flat);
    assert_eq!(assert_accepted(&settings, "vscode defaults"), Config::default());
    // Control: a key Config lacks is warned about, so the check above can fail.
    let loaded = Config::default().merged_with_json(&json!({ "selectors": { "bogus": 1 } }), "control").unwrap();
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
}

/// Fenced blocks of `lang` in a markdown text.
fn fenced(text: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_end() == format!("```{lang}") => current = Some(Vec::new()),
            Some(lines) if line.trim_end() == "```" => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            Some(lines) => lines.push(line),
            None => {}
        }
    }
    assert!(current.is_none(), "unterminated ```{lang} block");
    blocks
}

/// Parentheses balance outside strings, character literals and `;` comments.
fn elisp_balanced(src: &str) -> Result<(), String> {
    let (mut depth, mut in_string, mut chars) = (0i32, false, src.chars().peekable());
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') | (false, '?') => {
                chars.next();
            }
            (true, '"') | (false, '"') => in_string = !in_string,
            (false, ';') => {
                while chars.next_if(|&c| c != '\n').is_some() {}
            }
            (false, '(') => depth += 1,
            (false, ')') => {
                depth -= 1;
                if depth < 0 {
                    return Err("a `)` closes nothing".into());
                }
            }
            _ => {}
        }
    }
    match (depth, in_string) {
        (0, false) => Ok(()),
        (_, true) => Err("unterminated string".into()),
        (d, _) => Err(format!("{d} unclosed `(`")),
    }
}

#[test]
fn readme_snippets_parse_and_their_settings_are_accepted() {
    let readme = read("editors/README.md");

    let tomls = fenced(&readme, "toml");
    assert_eq!(tomls.len(), 1, "the Helix languages.toml snippet");
    let helix: toml::Table = toml::from_str(&tomls[0]).unwrap_or_else(|e| panic!("Helix snippet: {e}"));
    let server = &helix["language-server"]["argus"];
    assert_eq!(server["command"].as_str(), Some("argus-lsp"));
    assert_accepted(&serde_json::to_value(&server["config"]).unwrap(), "Helix config");
    let languages = helix["language"].as_array().unwrap();
    assert!(languages.iter().all(|l| l["language-servers"].as_array().unwrap().iter().any(|s| s.as_str() == Some("argus"))));

    let jsons = fenced(&readme, "json");
    assert_eq!(jsons.len(), 2, "the VS Code and Zed snippets");
    let vscode: Map<String, Value> = serde_json::from_str(&jsons[0]).unwrap_or_else(|e| panic!("VS Code snippet: {e}"));
    let known = vscode_settings();
    for key in vscode.keys() {
        assert!(known.contains_key(key), "VS Code snippet uses unknown setting `{key}`");
    }
    let sent = vscode.into_iter().filter(|(k, _)| !CLIENT_ONLY.contains(&k.as_str()));
    assert_accepted(&nest(sent), "VS Code snippet");
    let zed: Value = serde_json::from_str(&jsons[1]).unwrap_or_else(|e| panic!("Zed snippet: {e}"));
    let zed_server = &zed["lsp"]["argus-lsp"];
    assert_accepted(&zed_server["initialization_options"], "Zed initialization_options");
    assert_accepted(&zed_server["settings"]["argus"], "Zed settings");

    let elisp = fenced(&readme, "elisp");
    assert_eq!(elisp.len(), 1, "the eglot snippet");
    elisp_balanced(&elisp[0]).unwrap_or_else(|e| panic!("eglot snippet: {e}"));
    assert!(elisp[0].contains("\"argus-lsp\""));
    // Control: the checker does reject an unbalanced form.
    assert!(elisp_balanced("(setq a '(1 2)").is_err() && elisp_balanced("(a \"(\")").is_ok());

    assert!(fenced(&readme, "lua").len() >= 2, "lazy.nvim and vim.lsp.enable snippets (compiled by the Neovim tests)");
}
