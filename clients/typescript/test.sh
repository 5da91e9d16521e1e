#!/usr/bin/env bash
# The TypeScript client's tests (clients/README.md, "Testing against a real server"):
# compiles with tsc, then runs node's test runner on the compiled tests against
# $ORDERSERVICE_TEST_URL, or against a test server of its own when that is unset.
# Ends with one line "N passed, N failed"; a compile failure counts as 1 failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(cd ../.. && pwd)"

summary() {
    echo "$1 passed, $2 failed"
    exit $(($2 > 0 ? 1 : 0))
}

if [[ ! -d node_modules ]]; then
    npm ci --no-audit --no-fund || summary 0 1
fi

rm -rf dist
if ! npx --no-install tsc -p .; then
    echo "FAILED: tsc" >&2
    summary 0 1
fi

own_state=""
stop_own_server() {
    if [[ -n $own_state ]]; then
        "$ORDERSERVICE_TEST_SERVER" stop >/dev/null 2>&1 || true
        rm -rf "$own_state"
        own_state=""
    fi
}
trap stop_own_server EXIT

export ORDERSERVICE_TEST_SERVER="${ORDERSERVICE_TEST_SERVER:-$root/scripts/test-server}"
if [[ -z ${ORDERSERVICE_TEST_URL:-} ]]; then
    own_state="$(mktemp -d /tmp/orderservice-ts.XXXXXX)"
    export ORDERSERVICE_TEST_STATE="$own_state"
    if ! ORDERSERVICE_TEST_URL="$("$ORDERSERVICE_TEST_SERVER" start)"; then
        echo "FAILED: the test server did not start" >&2
        stop_own_server
        summary 0 1
    fi
    export ORDERSERVICE_TEST_URL
    echo "test server at $ORDERSERVICE_TEST_URL"
fi

report="$(mktemp /tmp/orderservice-ts-report.XXXXXX)"
node --test --test-reporter=tap --test-timeout=180000 dist/test/*.test.js 2>&1 | tee "$report"
status=${PIPESTATUS[0]}

count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$report" | tail -n 1; }
passed="$(count pass)" failed="$(count fail)" cancelled="$(count cancelled)"
rm -f "$report"
if [[ -z $passed || -z $failed ]]; then
    echo "FAILED: node --test ended without its summary (exit $status)" >&2
    passed=${passed:-0} failed=$((${failed:-0} + 1))
fi
# A test cancelled (its suite's setup failed, or a timeout) did not pass.
failed=$((failed + ${cancelled:-0}))
if ((status != 0 && failed == 0)); then
    echo "FAILED: node --test exited with $status" >&2
    failed=1
fi
if ((failed > 0)) && [[ -n $own_state && -f $own_state/server.log ]]; then
    echo "--- test server log (last 30 lines):"
    tail -n 30 "$own_state/server.log"
fi
stop_own_server
summary "$passed" "$failed"
