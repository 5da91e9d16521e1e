#!/usr/bin/env bash
# OrderService: the single test command. Run from anywhere as ./scripts/test.sh.
#   1. buf lint + buf format check on the protos (buf from npm, see package.json)
#   2. dotnet build OrderService.sln -c Release (warnings are errors in the projects)
#   3. dotnet test OrderService.sln: the domain unit tests, the integration suite on SQLite
#      and again on a throwaway PostgreSQL 15 that the tests start themselves; the counts
#      come from the trx files the test logger writes
#   4. scripts/smoke-test.sh: the README's run command for real (Kestrel, h2c, buf curl)
#   5. scripts/client-tests.sh: the generated TS/Python/Go code is up to date, and each
#      language's client tests and orderctl's sample flow against a real server process
# Ends with exactly one line "N passed, N failed", all suites summed (CI reads it), and exits
# non-zero if anything failed. A failing step that is not a test (lint, format, build, a test
# project with no results, a crashed test host) counts as 1 failed, so the line agrees with
# the exit code.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0 failed=0 skipped=0 problems=()
fail() {
    problems+=("$*")
    echo "!! $*" >&2
    failed=$((failed + 1))
}
counter() { grep -o "<Counters [^>]*>" "$2" | grep -o " $1=\"[0-9]*\"" | tr -dc 0-9; }

# Adds up the trx files in $1 (one per test project), expecting $2 of them.
count_trx() {
    local trx name total pass skip bad outcome test files=0
    for trx in "$1"/*.trx; do
        [[ -f $trx ]] || continue
        files=$((files + 1))
        name="$(grep -o 'codeBase="[^"]*"' "$trx" | head -n 1 | sed -E 's|.*/([^/]*)\.dll"|\1|')"
        total="$(counter total "$trx")" pass="$(counter passed "$trx")" skip="$(counter notExecuted "$trx")"
        bad=$((${total:-0} - ${pass:-0} - ${skip:-0})) # failed, error, timeout, aborted, ...
        passed=$((passed + ${pass:-0})) skipped=$((skipped + ${skip:-0})) failed=$((failed + bad))
        echo "-- ${name:-$trx}: ${pass:-0} passed, $bad failed, ${skip:-0} skipped"
        while read -r test; do problems+=("${name:-?}: $test failed"); done < <(grep -o \
            '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"' "$trx" | sed -E 's/.* testName="([^"]*)".*/\1/; s/&quot;/"/g' | head -n 10)
        ((bad <= 10)) || problems+=("${name:-?}: ... $((bad - 10)) more failed")
        outcome="$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | cut -d'"' -f2)"
        if [[ $outcome != Completed && $bad -eq 0 ]]; then
            fail "${name:-$trx}: the run ended '$outcome' without a failed test (test host crash?)"
        fi
    done
    if ((files < $2)); then
        fail "$(($2 - files)) of $2 test projects wrote no results (see the dotnet test output)"
    fi
}

results="$(mktemp -d /tmp/orderservice-results.XXXXXX)"
trap 'rm -rf "$results"' EXIT

echo "== buf lint / format (protos)"
if [[ ! -x node_modules/.bin/buf ]]; then
    npm ci --no-audit --no-fund || fail "npm ci failed"
fi
npx --no-install buf lint || fail "buf lint failed"
npx --no-install buf format -d --exit-code || fail "buf format: protos not formatted (fix: npx buf format -w)"

echo "== build (Release)"
if dotnet build OrderService.sln -c Release -nodeReuse:false; then
    echo "== tests: domain, integration on SQLite, integration on PostgreSQL"
    dotnet test OrderService.sln -c Release --no-build --logger trx --results-directory "$results"
    test_rc=$?
    failed_before=$failed
    count_trx "$results" "$(find tests -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | wc -l)"
    if ((test_rc != 0 && failed == failed_before)); then
        fail "dotnet test exited $test_rc although the results show no failure"
    fi

    echo "== smoke test: the README's run command"
    ./scripts/smoke-test.sh | tee "$results/smoke.log"
    smoke="$(tail -n 1 "$results/smoke.log")"
    if [[ $smoke =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
        ((BASH_REMATCH[2] == 0)) || problems+=("smoke test: ${BASH_REMATCH[2]} failed")
    else
        fail "smoke test ended without its summary line"
    fi

    echo "== clients: generated code up to date; TypeScript, Python, Go and orderctl against a real server"
    ./scripts/client-tests.sh 2>&1 | tee "$results/clients.log"
    clients="$(tail -n 1 "$results/clients.log")"
    if [[ $clients =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
        ((BASH_REMATCH[2] == 0)) || problems+=("client tests: ${BASH_REMATCH[2]} failed (see FAILED lines above)")
    else
        fail "client tests ended without their summary line"
    fi
else
    fail "dotnet build OrderService.sln -c Release failed: tests not run"
fi

# CI waits for every process it started: don't leave MSBuild/Roslyn servers behind.
if [[ -n ${CI:-} ]]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true
fi

echo "== summary"
((${#problems[@]} == 0)) || printf '  - %s\n' "${problems[@]}"
((skipped == 0)) || echo "$skipped skipped"
echo "$passed passed, $failed failed"
((failed == 0))
