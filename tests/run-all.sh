#!/usr/bin/env bash
# Run every test of argus-lsp. Installs what the tests need when it is missing
# (Debian chromium + chromium-driver, pytest + selenium, the examples' npm packages, nvim).
#
#   bash tests/run-all.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/install-deps.sh

# CI=true makes insta fail on a changed snapshot instead of writing a new one.
export CI="${CI:-true}"
# A one-off build gains nothing from incremental caches, which only cost disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
cargo build --locked --bins
cargo test --locked --workspace --no-fail-fast

if [ -x editors/run-tests.sh ] || [ -f editors/run-tests.sh ]; then
  ARGUS_LSP_PATH="$PWD/target/debug/argus-lsp" bash editors/run-tests.sh
fi
