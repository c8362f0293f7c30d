#!/usr/bin/env bash
# Every test: type check, lint, and the vitest suites, the database ones on SQLite and on a
# throwaway PostgreSQL. Ends with a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
dialects=${BREACHDESK_TEST_DIALECTS:-sqlite,postgres}
export BREACHDESK_TEST_DIALECTS=$dialects

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/system-deps.sh
source scripts/system-deps.sh
ensure_system_deps || { echo "cannot install the system packages the tests need"; echo "0 passed, 1 failed"; exit 1; }
# The tests' temp folders (databases, files, mail) go under one folder per run, removed at the end.
# Vitest's global setup (test/support/temp-root.ts) does the same when it runs alone; this trap also
# clears what a vitest killed before its teardown left.
test_tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/breachdesk-test-run.XXXXXX")
trap 'stop_postgres; rm -rf "$test_tmpdir"' EXIT
if [[ ",$dialects," == *",postgres,"* ]]; then
  start_postgres || { echo "cannot start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
fi
export TMPDIR=$test_tmpdir

checks_failed=0
run_check() {
  local name=$1; shift
  if "$@"; then echo "check $name: ok"; else echo "check $name: FAILED"; checks_failed=$((checks_failed + 1)); fi
}
run_check typecheck npx tsc --noEmit -p .
run_check typecheck-web npx tsc --noEmit -p web
run_check eslint npx eslint .
run_check prettier npx prettier --check . --log-level warn

mkdir -p .test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@"
vitest_status=$?
node scripts/summarize-tests.mjs .test-results/vitest.json "$checks_failed" "$vitest_status"
