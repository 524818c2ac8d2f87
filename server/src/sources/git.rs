//! The workspace's git history, read with the git binary and fixed arguments (never a shell
//! string): `git log -S<value> -p`, the commits that added or removed a selector's value,
//! for `heal::from_history`.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use crate::heal::git_history::COMMIT_MARKER;

/// Commits read per value: the recent renames are the ones that matter.
const MAX_COMMITS: &str = "30";
/// A huge patch is cut here; what was read is still used.
const MAX_OUTPUT: u64 = 8 * 1024 * 1024;
/// `git log -S` walks the whole history; a big repository must not hold a heal up.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The log text of commits in the repository around `dir` whose patch changes how often
/// `value` occurs, newest first. Err: why there is none (no git, not a repository, timeout).
pub async fn pickaxe(dir: &Path, value: &str) -> Result<String, String> {
    if value.trim().is_empty() || value.contains('\0') {
        return Err("nothing to look for".into());
    }
    let mut child = tokio::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false", "log", "--no-color", "--no-ext-diff", "--no-textconv", "-p", "--unified=5"])
        .arg(format!("--max-count={MAX_COMMITS}"))
        .arg(format!("--format={COMMIT_MARKER}%H %s"))
        // One argument, so a value starting with `-` is still the value.
        .arg(format!("-S{value}"))
        .arg("--")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("git: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("git: no output")?;
    let mut stderr = child.stderr.take().ok_or("git: no output")?;
    let read = async {
        let mut out = Vec::new();
        (&mut stdout).take(MAX_OUTPUT).read_to_end(&mut out).await.map_err(|e| format!("git: {e}"))?;
        let mut err = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err).await;
        Ok::<_, String>((out, err))
    };
    let (out, err) = tokio::time::timeout(TIMEOUT, read).await.map_err(|_| format!("git log -S took over {}s", TIMEOUT.as_secs()))??;
    drop(stdout);
    let status = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
    match status {
        Ok(Ok(s)) if !s.success() && out.is_empty() => {
            let why = String::from_utf8_lossy(&err);
            Err(format!("git log: {}", why.lines().next().unwrap_or("failed")))
        }
        _ => Ok(String::from_utf8_lossy(&out).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn outside_a_repository_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let err = pickaxe(dir.path(), "buy").await.unwrap_err();
        assert!(err.contains("git"), "{err}");
    }
}
