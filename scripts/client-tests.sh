#!/usr/bin/env bash
# The clients' tests against one real server process (clients/README.md):
#   1. the generated TypeScript, Python and Go code is up to date with protos/
#   2. scripts/test-server starts the Release build (SQLite, a temp folder)
#   3. clients/{typescript,python,go}/test.sh, then clients/csharp/orderctl-flow.sh, each
#      against that server, each ending with "N passed, N failed"
# Ends with one line "N passed, N failed" (summed) and fails if anything did. Called by
# scripts/test.sh after the build; runs alone as ./scripts/client-tests.sh.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

passed=0 failed=0
fail() {
    echo "FAILED: client tests: $*" >&2
    failed=$((failed + 1))
}

if ./scripts/generate-clients.sh --check; then
    echo "ok: generated client code is up to date with protos/"
    passed=$((passed + 1))
else
    fail "generated client code is out of date"
fi

state="$(mktemp -d /tmp/orderservice-clients.XXXXXX)"
export ORDERSERVICE_TEST_STATE="$state" ORDERSERVICE_TEST_SERVER="$PWD/scripts/test-server"
cleanup() {
    scripts/test-server stop
    rm -rf "$state"
}
trap cleanup EXIT

if ORDERSERVICE_TEST_URL="$(scripts/test-server start)"; then
    export ORDERSERVICE_TEST_URL
    echo "test server at $ORDERSERVICE_TEST_URL"
    for suite in clients/typescript/test.sh clients/python/test.sh clients/go/test.sh clients/csharp/orderctl-flow.sh; do
        echo "== $suite"
        if [[ ! -x $suite ]]; then
            fail "$suite is missing"
            continue
        fi
        "$suite" 2>&1 | tee "$state/suite.log"
        summary="$(tail -n 1 "$state/suite.log")"
        if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
            passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
            ((BASH_REMATCH[2] == 0)) || echo "FAILED: $suite: ${BASH_REMATCH[2]} failed" >&2
        else
            fail "$suite ended without its summary line"
        fi
        # A suite that restarted the server and failed may leave it stopped.
        scripts/test-server start >/dev/null || fail "the test server does not start again after $suite"
    done
else
    fail "the test server did not start"
fi

if ((failed > 0)) && [[ -f $state/server.log ]]; then
    echo "--- test server log (last 40 lines):"
    tail -n 40 "$state/server.log"
fi
echo "$passed passed, $failed failed"
((failed == 0))
