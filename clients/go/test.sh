#!/usr/bin/env bash
# The Go client's tests (clients/README.md): gofmt, go vet, then go test -v against a real
# server, ending with one line "N passed, N failed". Uses $ORDERSERVICE_TEST_URL and
# $ORDERSERVICE_TEST_SERVER when set (scripts/client-tests.sh); otherwise starts its own
# test server (scripts/test-server, $ORDERSERVICE_SERVER_DLL or the Release build) and
# stops it on exit. GOPATH mode with Debian's Go packages: no module proxy is needed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

work="$(mktemp -d /tmp/orderservice-go.XXXXXX)"
own_server=""
cleanup() {
    if [[ -n $own_server ]]; then
        "$ORDERSERVICE_TEST_SERVER" stop || true
        rm -rf "$ORDERSERVICE_TEST_STATE"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0
fail() {
    echo "FAILED: $*" >&2
    failed=$((failed + 1))
}

# The import path orderservice/clients/go is this folder, through a symlink in a GOPATH.
mkdir -p "$work/gopath/src/orderservice/clients"
ln -s "$here" "$work/gopath/src/orderservice/clients/go"
export GO111MODULE=off GOPATH="$work/gopath:/usr/share/gocode" GOFLAGS=""
export GOCACHE="${GOCACHE:-/tmp/orderservice-go-cache-$(id -u)}"
cd "$work/gopath/src/orderservice/clients/go"

export ORDERSERVICE_TEST_SERVER="${ORDERSERVICE_TEST_SERVER:-$root/scripts/test-server}"
if [[ -z ${ORDERSERVICE_TEST_URL:-} ]]; then
    export ORDERSERVICE_TEST_STATE
    ORDERSERVICE_TEST_STATE="$(mktemp -d /tmp/orderservice-go-server.XXXXXX)"
    own_server=1
    if ORDERSERVICE_TEST_URL="$("$ORDERSERVICE_TEST_SERVER" start)"; then
        export ORDERSERVICE_TEST_URL
        echo "test server at $ORDERSERVICE_TEST_URL"
    else
        fail "the test server did not start"
        echo "$passed passed, $failed failed"
        exit 1
    fi
fi

if ! command -v go >/dev/null; then
    fail "no go toolchain (apt-get install golang-go)"
    echo "$passed passed, $failed failed"
    exit 1
fi

# Our code only: the generated code is checked against the protos by generate-clients.sh.
unformatted="$(find . -path ./gen -prune -o -name '*.go' -print | xargs gofmt -l)"
if [[ -n $unformatted ]]; then
    fail "gofmt -l lists: $unformatted"
fi

if ! go vet ./...; then
    fail "go vet"
fi

go test -v -count=1 -timeout 10m ./... 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
# Top-level tests and subtests alike: every "--- PASS" / "--- FAIL" line.
test_passed=$(grep -cE '^[[:space:]]*--- PASS' "$work/test.log")
test_failed=$(grep -cE '^[[:space:]]*--- FAIL' "$work/test.log")
passed=$((passed + test_passed)) failed=$((failed + test_failed))
if ((status != 0 && test_failed == 0)); then
    fail "go test exited with $status (a build failure, panic or timeout)"
fi
if grep -qE '^[[:space:]]*--- SKIP' "$work/test.log"; then
    fail "tests were skipped: $(grep -E '^[[:space:]]*--- SKIP' "$work/test.log" | tr -s ' ' | tr '\n' ';')"
fi

echo "$passed passed, $failed failed"
((failed == 0))
