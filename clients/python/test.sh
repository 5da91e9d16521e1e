#!/usr/bin/env bash
# The Python client's tests against a real server (clients/README.md). Uses the server
# at $ORDERSERVICE_TEST_URL (with $ORDERSERVICE_TEST_SERVER to restart it and mint
# tokens), or starts its own test server when that is unset. Ends with one line
# "N passed, N failed"; fails when any test did.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(cd ../.. && pwd)"

# Debian's python3-grpcio and python3-protobuf; the first python3 on PATH may be another.
python=/usr/bin/python3

if [[ -z ${ORDERSERVICE_TEST_URL:-} ]]; then
    state="$(mktemp -d /tmp/orderservice-py.XXXXXX)"
    export ORDERSERVICE_TEST_STATE="$state" ORDERSERVICE_TEST_SERVER="$root/scripts/test-server"
    cleanup() {
        "$ORDERSERVICE_TEST_SERVER" stop >/dev/null 2>&1
        rm -rf "$state"
    }
    trap cleanup EXIT
    if ! ORDERSERVICE_TEST_URL="$("$ORDERSERVICE_TEST_SERVER" start)"; then
        echo "the test server did not start" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
    export ORDERSERVICE_TEST_URL
    echo "test server at $ORDERSERVICE_TEST_URL"
fi

# No stale bytecode next to the sources (and none committed: __pycache__ is ignored).
export PYTHONDONTWRITEBYTECODE=1
# run_tests.py exits 0 (all passed) or 3 (some failed) after its summary line; anything
# else (a crash, or the overall time limit) has printed none.
timeout -k 10 600 "$python" run_tests.py
status=$?
case $status in
    0) exit 0 ;;
    3) exit 1 ;;
    *) echo "run_tests.py ended with status $status before its summary" >&2
       echo "0 passed, 1 failed"
       exit 1 ;;
esac
