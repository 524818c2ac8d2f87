#!/usr/bin/env bash
# Regenerate the committed failure-report fixtures under tests/examples/reports/.
#
#   tests/examples/regen-reports.sh
#
# Installs what is missing (tests/install-deps.sh), then runs the Playwright and
# pytest + Selenium suites against the example shop. Several tests fail on
# purpose (see README.md): test failures do not fail this script, a missing or
# empty report does.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
log() { echo "[regen-reports] $*"; }
die() { echo "[regen-reports] ERROR: $*" >&2; exit 1; }

"$HERE/../install-deps.sh" --browser --python --node || die "install-deps.sh failed"

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NO_COLOR=1 FORCE_COLOR=0
PYTHON="${PYTHON:-python3}"

mkdir -p reports/playwright reports/pytest
rm -f reports/playwright/results.json reports/playwright/junit.xml \
      reports/pytest/junit.xml reports/pytest/junit-xunit1.xml

log "playwright: npx playwright test --reporter=list,json,junit"
PLAYWRIGHT_JSON_OUTPUT_NAME=reports/playwright/results.json \
PLAYWRIGHT_JUNIT_OUTPUT_NAME=reports/playwright/junit.xml \
  npx playwright test --reporter=list,json,junit
log "playwright exited $? (failures expected)"

if [ -d python ] && ls python/test_*.py >/dev/null 2>&1; then
  log "pytest: junit xunit2 -> reports/pytest/junit.xml"
  "$PYTHON" -m pytest python -p no:cacheprovider --junitxml=reports/pytest/junit.xml
  log "pytest exited $? (failures expected)"
  log "pytest: junit xunit1 -> reports/pytest/junit-xunit1.xml"
  "$PYTHON" -m pytest python -p no:cacheprovider -o junit_family=xunit1 --junitxml=reports/pytest/junit-xunit1.xml
  log "pytest exited $? (failures expected)"
  expected_pytest=(reports/pytest/junit.xml reports/pytest/junit-xunit1.xml)
else
  expected_pytest=()
fi

for report in reports/playwright/results.json reports/playwright/junit.xml "${expected_pytest[@]}"; do
  [ -s "$report" ] || die "report missing or empty: tests/examples/$report"
  log "wrote tests/examples/$report"
done
