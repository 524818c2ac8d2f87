//! Report paths → workspace paths. Reports are written on other machines and OSes
//! (`/home/runner/work/r/r/tests/x.spec.ts`, `C:\a\x.spec.ts`, `cart.spec.ts` relative to a
//! testDir, `tests.test_x` module names): match by the longest common suffix of path
//! components, case-sensitively.

/// A workspace path a report path mapped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    pub path: String,
    /// Path components in common (from the end).
    pub components: usize,
    /// Other workspace paths matched with as many components.
    pub ties: Vec<String>,
}

pub fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\']).filter(|c| !c.is_empty() && *c != ".").collect()
}

/// Workspace path with the longest component suffix in common with `report_path` (the file
/// name at least). Ties: the first in `workspace` order, the others in `ties`.
pub fn match_path<'a>(report_path: &str, workspace: impl IntoIterator<Item = &'a str>) -> Option<PathMatch> {
    let want = components(report_path);
    if want.is_empty() {
        return None;
    }
    let mut best: Option<PathMatch> = None;
    for ws in workspace {
        let have = components(ws);
        let n = want.iter().rev().zip(have.iter().rev()).take_while(|(a, b)| a == b).count();
        if n == 0 {
            continue;
        }
        match &mut best {
            Some(b) if b.components > n => {}
            Some(b) if b.components == n => b.ties.push(ws.to_string()),
            _ => best = Some(PathMatch { path: ws.to_string(), components: n, ties: Vec::new() }),
        }
    }
    best
}

/// `tests.test_x.TestY` → candidate module paths, longest first: `tests/test_x/TestY.py`,
/// `tests/test_x.py`, `tests.py`.
pub fn module_paths(classname: &str) -> Vec<String> {
    let parts: Vec<&str> = classname.split('.').filter(|p| !p.is_empty()).collect();
    (1..=parts.len()).rev().map(|n| format!("{}.py", parts[..n].join("/"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WS: [&str; 4] = [
        "tests/examples/playwright/cart.spec.ts",
        "tests/examples/python/test_shop.py",
        "other/cart.spec.ts",
        "tests/examples/playwright/pages/cart-page.ts",
    ];

    #[test]
    fn longest_suffix_wins_across_machines() {
        for p in [
            "/home/runner/work/shop/shop/tests/examples/playwright/cart.spec.ts",
            "C:\\a\\b\\tests\\examples\\playwright\\cart.spec.ts",
            "playwright/cart.spec.ts",
        ] {
            let m = match_path(p, WS).unwrap();
            assert_eq!(m.path, "tests/examples/playwright/cart.spec.ts", "{p}");
            assert!(m.ties.is_empty(), "{p}");
        }
    }

    #[test]
    fn bare_file_names_are_ambiguous_when_two_files_share_them() {
        let m = match_path("cart.spec.ts", WS).unwrap();
        assert_eq!(m.components, 1);
        assert_eq!(m.ties, vec!["other/cart.spec.ts".to_string()]);
        assert!(match_path("Cart.spec.ts", WS).is_none(), "case-sensitive");
        assert!(match_path("", WS).is_none());
    }

    #[test]
    fn module_names_become_paths() {
        assert_eq!(module_paths("tests.test_x.TestY"), ["tests/test_x/TestY.py", "tests/test_x.py", "tests.py"]);
        assert_eq!(match_path(&module_paths("test_shop")[0], WS).unwrap().path, "tests/examples/python/test_shop.py");
    }
}
