#!/usr/bin/env bash
# OrderService: the single test command. Run from anywhere as ./scripts/test.sh.
#
# Always runs everything, in this order:
#   1. buf lint + buf format check on the protos (npm-installed buf, see package.json)
#   2. dotnet build OrderService.sln -c Release (warnings are errors in the projects)
#   3. every test project under tests/ except *IntegrationTests, once
#   4. *IntegrationTests against SQLite
#   5. *IntegrationTests against a throwaway PostgreSQL 15 started and removed by this script
#   6. a smoke test of the README's run command: the real server on Kestrel (h2c, SQLite),
#      health, reflection and one CreateOrder through buf curl
# and ends with exactly one line "N passed, N failed[, N skipped]", summed over all
# `dotnet test` runs (CI reads that line). Exits non-zero if anything failed: lint,
# format, build, any test, or PostgreSQL not starting. A failing step that is not a test
# (lint, format, build, PostgreSQL) counts as 1 failed so the final line agrees with the
# exit code.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian's PostgreSQL 15 server binaries (/usr/local/bin/pg_ctl on some images is NOT it).
PG_BIN="${ORDERSERVICE_PG_BIN:-/usr/lib/postgresql/15/bin}"

# Quieter, English, reproducible dotnet output (the summary parser expects English).
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_CLI_UI_LANGUAGE=en

TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
PROBLEMS=()

section() {
    echo
    echo "== $*"
}

problem() {
    PROBLEMS+=("$*")
    echo "!! $*" >&2
}

# --------------------------------------------------------------------------------------
# PostgreSQL: throwaway server in a temp folder, on a free 127.0.0.1 port.
# Sets PG_DIR and PG_PORT. stop_postgres is idempotent and is also the EXIT trap.
# --------------------------------------------------------------------------------------
PG_DIR=""
PG_PORT=""
PG_STARTED=0

# Run a PostgreSQL binary as the owner of the data folder: `postgres` when we are root
# (initdb refuses to run as root), else the current user.
pg_run() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

port_in_use() {
    # A successful TCP connect means something listens there.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_free_port() {
    local p tries=0
    while ((tries < 200)); do
        p=$((20000 + RANDOM % 40000))
        if ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
        tries=$((tries + 1))
    done
    return 1
}

stop_postgres() {
    if [[ -n "$PG_DIR" ]]; then
        if [[ $PG_STARTED -eq 1 ]]; then
            pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
                pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_DIR" || true
    fi
    PG_DIR=""
    PG_PORT=""
    PG_STARTED=0
}

start_postgres() {
    if [[ ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
        problem "PostgreSQL 15 server binaries not found in $PG_BIN." \
            "Install Debian's PostgreSQL: apt-get install -y postgresql"
        return 1
    fi
    if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        problem "Running as root but there is no 'postgres' user to run the server as." \
            "Install Debian's PostgreSQL (it creates that user): apt-get install -y postgresql"
        return 1
    fi

    # Short path: the Unix socket (DIR/.s.PGSQL.PORT) must stay under ~107 characters.
    if ! PG_DIR="$(mktemp -d /tmp/orderservice-pg.XXXXXX)"; then
        PG_DIR=""
        problem "Could not create a temp folder for PostgreSQL under /tmp."
        return 1
    fi
    if [[ $EUID -eq 0 ]] && ! chown postgres:postgres "$PG_DIR"; then
        problem "Could not give $PG_DIR to the postgres user."
        return 1
    fi

    if ! pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        problem "initdb failed (log above)."
        return 1
    fi

    # The port is free when picked but could be taken before the server binds it: retry.
    local attempt
    for attempt in 1 2 3 4 5; do
        if ! PG_PORT="$(pick_free_port)"; then
            problem "Could not find a free TCP port on 127.0.0.1 for PostgreSQL."
            return 1
        fi
        if pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null 2>&1; then
            PG_STARTED=1
            echo "PostgreSQL started on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
            return 0
        fi
        if ! grep -qi 'could not bind\|address already in use' "$PG_DIR/server.log" 2>/dev/null; then
            break
        fi
        echo "port $PG_PORT was taken, retrying ($attempt)" >&2
    done
    tail -n 30 "$PG_DIR/server.log" >&2 2>/dev/null || true
    problem "PostgreSQL did not start (server log above)."
    return 1
}

# --------------------------------------------------------------------------------------
# dotnet test with summary parsing.
# run_tests LABEL PROJECT [VAR=VALUE ...]
# --------------------------------------------------------------------------------------
run_tests() {
    local label=$1 proj=$2
    shift 2
    section "$label"
    local out rc=0
    out="$(mktemp)"
    env "$@" dotnet test "$proj" -c Release --no-build 2>&1 | tee "$out" || rc=$?

    # VSTest summary, one per test assembly, e.g.
    #   Passed!  - Failed:     0, Passed:    35, Skipped:     0, Total:    35, Duration: ...
    #   Failed!  - Failed:     1, Passed:    34, Skipped:     0, Total:    35, Duration: ...
    local p=0 f=0 s=0 found=0 lp lf ls
    while read -r lf lp ls; do
        f=$((f + lf))
        p=$((p + lp))
        s=$((s + ls))
        found=$((found + 1))
    done < <(sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out" |
        sed -nE 's/.*(Passed|Failed|Skipped)! +- +Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+), +Total: +[0-9]+.*/\2 \3 \4/p')
    rm -f "$out"

    if ((found == 0)); then
        if ((rc != 0)); then
            problem "$label: dotnet test exited $rc without a test summary (build error or crash): counted as 1 failed."
        else
            problem "$label: dotnet test printed no test summary (no tests found?): counted as 1 failed."
        fi
        f=$((f + 1))
    elif ((rc != 0 && f == 0)); then
        problem "$label: dotnet test exited $rc although no test failed (test host crash?): counted as 1 failed."
        f=$((f + 1))
    fi

    TOTAL_PASSED=$((TOTAL_PASSED + p))
    TOTAL_FAILED=$((TOTAL_FAILED + f))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + s))
    echo "-- $label: $p passed, $f failed, $s skipped"
}

step_failed() {
    problem "$*"
    TOTAL_FAILED=$((TOTAL_FAILED + 1))
}

# --------------------------------------------------------------------------------------
# Smoke test: the README's run command for real (Kestrel, h2c on 127.0.0.1, a SQLite file,
# migrations at start), checked the way a new user would: health, reflection, one call.
# Each check counts as one test.
# --------------------------------------------------------------------------------------
smoke_check() {
    local name="$1"
    shift
    if "$@"; then
        echo "ok: $name"
        TOTAL_PASSED=$((TOTAL_PASSED + 1))
    else
        step_failed "smoke test: $name"
    fi
}

smoke_test() {
    section "smoke test: dotnet run --project src/OrderService.Server (Kestrel, h2c, SQLite)"
    local dir port pid url token i
    dir="$(mktemp -d /tmp/orderservice-smoke.XXXXXX)"
    port="$(pick_free_port)"
    url="http://127.0.0.1:$port"
    # Its own process group, so that stopping it also stops the server dotnet run started.
    setsid dotnet run --project src/OrderService.Server -c Release --no-build -- \
        "--Kestrel:Endpoints:Grpc:Url=$url" "--Database:ConnectionString=Data Source=$dir/orders.db" \
        >"$dir/server.log" 2>&1 &
    pid=$!
    buf_curl() { npx --no-install buf curl --http2-prior-knowledge --protocol grpc "$@"; }
    for ((i = 0; i < 120; i++)); do
        buf_curl "$url/grpc.health.v1.Health/Check" 2>/dev/null | grep -q SERVING && break
        sleep 0.5
    done

    smoke_check "health reports SERVING" \
        bash -c "npx --no-install buf curl --http2-prior-knowledge --protocol grpc $url/grpc.health.v1.Health/Check | grep -q SERVING"
    smoke_check "reflection lists the three services" \
        bash -c "npx --no-install buf curl --http2-prior-knowledge --protocol grpc --list-services $url | grep -c '^orderservice.v1.\(OrderService\|RefundService\|NotificationService\)$' | grep -qx 3"
    token="$(dotnet run --project src/OrderService.Server -c Release --no-build --no-launch-profile \
        -e ASPNETCORE_ENVIRONMENT=Development -- mint-token marketplace smoke-test 2>/dev/null | tail -n 1)"
    smoke_check "CreateOrder with a development token answers a PENDING order" \
        bash -c "npx --no-install buf curl --http2-prior-knowledge --protocol grpc -H 'authorization: Bearer $token' -d '{
          \"requestId\": \"$(cat /proc/sys/kernel/random/uuid)\", \"orderId\": \"250-smoke\", \"sellerId\": \"SELLER-1\",
          \"buyerId\": \"BUYER-1\", \"currencyCode\": \"JPY\", \"purchaseTime\": \"$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)\",
          \"latestShipTime\": \"$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)\",
          \"items\": [{\"orderItemId\": \"A\", \"sku\": \"SKU-A\", \"title\": \"Tea cup\", \"quantity\": 1,
            \"unitCharges\": [{\"component\": \"CHARGE_COMPONENT_PRINCIPAL\", \"amount\": {\"currencyCode\": \"JPY\", \"units\": \"1099\"}}]}]
        }' $url/orderservice.v1.OrderService/CreateOrder | grep -q ORDER_STATUS_PENDING"

    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if ((TOTAL_FAILED > 0)); then
        echo "--- server log:"
        tail -n 40 "$dir/server.log"
    fi
    rm -rf "$dir"
}

main() {
    cd "$REPO_ROOT"
    trap stop_postgres EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    # ---- protos -------------------------------------------------------------------------
    section "buf lint / format (protos)"
    if [[ ! -x node_modules/.bin/buf ]]; then
        echo "node_modules missing: npm ci"
        npm ci --no-audit --no-fund || step_failed "npm ci failed"
    fi
    if npx --no-install buf lint; then
        echo "buf lint: ok"
    else
        step_failed "buf lint failed"
    fi
    if npx --no-install buf format -d --exit-code; then
        echo "buf format: ok"
    else
        step_failed "buf format: files are not formatted (fix with: npx buf format -w)"
    fi

    # ---- build --------------------------------------------------------------------------
    local sln=OrderService.sln
    [[ -f $sln || ! -f OrderService.slnx ]] || sln=OrderService.slnx
    section "build ($sln, Release)"
    local built=0
    if dotnet build "$sln" -c Release -nodeReuse:false; then
        built=1
    else
        step_failed "dotnet build $sln -c Release failed: tests not run"
    fi

    if ((built)); then
        # ---- test projects ----------------------------------------------------------------
        local unit=() integ=() proj name
        while IFS= read -r proj; do
            name="$(basename "$proj" .csproj)"
            if [[ $name == *IntegrationTests ]]; then
                integ+=("$proj")
            else
                unit+=("$proj")
            fi
        done < <(find tests -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | sort)

        if [[ ! -f tests/OrderService.IntegrationTests/OrderService.IntegrationTests.csproj ]]; then
            step_failed "tests/OrderService.IntegrationTests/OrderService.IntegrationTests.csproj not found"
        fi

        for proj in "${unit[@]}"; do
            run_tests "unit tests: $(basename "$proj" .csproj)" "$proj"
        done

        for proj in "${integ[@]}"; do
            run_tests "integration tests (SQLite): $(basename "$proj" .csproj)" "$proj" \
                ORDERSERVICE_TEST_DATABASE=Sqlite
        done

        if ((${#integ[@]} > 0)); then
            section "PostgreSQL 15 (throwaway server)"
            if start_postgres; then
                for proj in "${integ[@]}"; do
                    run_tests "integration tests (PostgreSQL): $(basename "$proj" .csproj)" "$proj" \
                        ORDERSERVICE_TEST_DATABASE=Postgres \
                        "ORDERSERVICE_TEST_POSTGRES=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=orderservice_test"
                done
            else
                TOTAL_FAILED=$((TOTAL_FAILED + 1))
            fi
            stop_postgres
        fi
    fi

    if ((built)); then
        smoke_test
    fi

    # CI waits for every process it started: don't leave MSBuild/Roslyn servers behind.
    if [[ -n "${CI:-}" ]]; then
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi

    section "summary"
    if ((${#PROBLEMS[@]} > 0)); then
        printf '  - %s\n' "${PROBLEMS[@]}"
    fi
    local line="$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    if ((TOTAL_SKIPPED > 0)); then
        line+=", $TOTAL_SKIPPED skipped"
    fi
    echo "$line"
    ((TOTAL_FAILED == 0))
}

# Run only when executed, so the functions can be sourced (e.g. to try start_postgres).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
