#!/usr/bin/env bash
# Editor tests against the real server named by ARGUS_LSP_PATH (default target/debug/argus-lsp):
# VS Code extension (npm ci when needed, typecheck, esbuild bundle, vitest unit tests, .vsix
# packaged offline and checked) and the Neovim plugin in a real headless Neovim.
# Prints `editors: N passed, M failed` last; exits non-zero on any failure. Every step is bounded.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
VSCODE="$HERE/vscode"
export ARGUS_LSP_PATH="${ARGUS_LSP_PATH:-$REPO/target/debug/argus-lsp}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore NO_COLOR=1
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

passed=0 failed=0
log() { echo "[editors] $*"; }
finish() {
  echo "editors: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# step NAME SECONDS CMD...: one counted check.
step() {
  local name="$1" secs="$2"
  shift 2
  log "$name"
  if timeout --kill-after=10 "$secs" "$@"; then
    passed=$((passed + 1))
  else
    log "FAILED: $name (exit $?)"
    failed=$((failed + 1))
  fi
}

if ! "$ARGUS_LSP_PATH" --version >/dev/null 2>&1; then
  log "no working server at ARGUS_LSP_PATH=$ARGUS_LSP_PATH (cargo build first)"
  failed=1
  finish
fi
log "server: $ARGUS_LSP_PATH ($("$ARGUS_LSP_PATH" --version))"

# --- VS Code ---------------------------------------------------------------------------------
npm_ci() { # a function: `step` runs it through bash -c (timeout cannot run functions)
  local stamp="$VSCODE/node_modules/.argus-lock.sha256" sum
  sum="$(sha256sum "$VSCODE/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then return 0; fi
  (cd "$VSCODE" && npm ci --no-audit --no-fund --loglevel=error) && echo "$sum" > "$stamp"
}
vitest() {
  # Each unit test counts; the JSON report gives the numbers (a crash counts as one failure).
  (cd "$VSCODE" && timeout --kill-after=10 300 npx vitest run --reporter=default --reporter=json --outputFile.json="$TMP/vitest.json")
  local counts
  counts="$(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests || (r.success ? 0 : 1))' "$TMP/vitest.json" 2>/dev/null)" \
    || counts="0 1"
  set -- $counts
  passed=$((passed + $1)) failed=$((failed + $2))
}

export -f npm_ci
export VSCODE
step "vscode: npm ci" 300 bash -c npm_ci
step "vscode: typecheck" 120 bash -c "cd '$VSCODE' && npx tsc --noEmit -p ."
step "vscode: bundle" 60 bash -c "cd '$VSCODE' && npm run --silent build"
log "vscode: unit tests + .vsix packaging (vitest)"
vitest

# --- Neovim ----------------------------------------------------------------------------------
modern_nvim() {
  # Debian's nvim is 0.7 (no vim.lsp.config, and -l means Lisp mode there): need 0.11+.
  local candidates=("$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)/nvim" "$(command -v nvim)")
  for bin in "${candidates[@]}"; do
    [ -x "$bin" ] || continue
    if timeout 20 "$bin" --version 2>/dev/null | head -1 | grep -Eq '^NVIM v(0\.(1[1-9]|[2-9][0-9])|[1-9])'; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}
NVIM="$(modern_nvim)" || {
  log "installing a modern nvim (tests/install-deps.sh --nvim)"
  timeout 300 bash "$REPO/tests/install-deps.sh" --nvim >&2
  NVIM="$(modern_nvim)"
}
if [ -z "$NVIM" ]; then
  log "FAILED: no Neovim 0.11+ available"
  failed=$((failed + 1))
else
  log "neovim: $NVIM ($("$NVIM" --version | head -1))"
  timeout --kill-after=10 150 "$NVIM" --headless --clean -l "$HERE/neovim/tests/run.lua" 2>&1 | tee "$TMP/nvim.log"
  summary="$(grep -E '^nvim: [0-9]+ passed, [0-9]+ failed$' "$TMP/nvim.log" | tail -1)"
  if [ -n "$summary" ]; then
    set -- $summary
    passed=$((passed + $2)) failed=$((failed + $4))
  else
    log "FAILED: the Neovim suite ended without a summary (crash or timeout)"
    failed=$((failed + 1))
  fi
fi

finish
