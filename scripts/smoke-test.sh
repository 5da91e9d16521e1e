#!/usr/bin/env bash
# Smoke test of the README's run command: the real server on Kestrel (h2c on 127.0.0.1 and
# the HTTP/1.1 endpoint for HTTP/JSON, a SQLite file, migrations at start), checked the way a
# new user would: health, reflection, one CreateOrder through buf curl, one GetOrder through
# curl on the HTTP port. Needs the Release build, node_modules (npm ci) and curl.
# Each check counts as one test; ends with "N passed, N failed" and fails if one did.
# Called by scripts/test.sh; runs alone as ./scripts/smoke-test.sh.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

passed=0 failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAILED: smoke test: $name" >&2
        failed=$((failed + 1))
    fi
}
buf_curl() { npx --no-install buf curl --http2-prior-knowledge --protocol grpc "$@"; }

free_port() {
    local p
    for _ in $(seq 200); do
        # Below the kernel's ephemeral range (32768-60999 here): a port a client
        # connection holds there cannot be bound, though nothing listens on it.
        p=$((10000 + RANDOM % 20000))
        # A successful connect means something listens there.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    return 1
}

dir="$(mktemp -d /tmp/orderservice-smoke.XXXXXX)"
url="http://127.0.0.1:$(free_port)"
metrics_url="http://127.0.0.1:$(free_port)"
http_url="$url"
while [[ $http_url == "$url" || $http_url == "$metrics_url" ]]; do http_url="http://127.0.0.1:$(free_port)"; done
# Its own process group, so that stopping it also stops the server dotnet run started.
setsid dotnet run --project src/OrderService.Server -c Release --no-build -- \
    "--Kestrel:Endpoints:Grpc:Url=$url" "--Kestrel:Endpoints:Http:Url=$http_url" \
    "--Database:ConnectionString=Data Source=$dir/orders.db" \
    "--Kestrel:Endpoints:Metrics:Url=$metrics_url" --Kestrel:Endpoints:Metrics:Protocols=Http1 \
    >"$dir/server.log" 2>&1 &
pid=$!
stop_server() {
    kill -TERM -- "-$pid" 2>/dev/null
    # dotnet run may return before the server it started has closed the database.
    for _ in $(seq 100); do
        kill -0 -- "-$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -rf "$dir"
}
trap stop_server EXIT
for _ in $(seq 120); do
    [[ $(buf_curl "$url/grpc.health.v1.Health/Check" 2>/dev/null) == *SERVING* ]] && break
    sleep 0.5
done

health_serving() { [[ $(buf_curl "$url/grpc.health.v1.Health/Check") == *SERVING* ]]; }
three_services() {
    [[ $(buf_curl --list-services "$url" | grep -c '^orderservice\.v1\.\(OrderService\|RefundService\|NotificationService\)$') == 3 ]]
}
# A development token, signed with the key the server started above reads (Development).
mint_token() {
    dotnet run --project src/OrderService.Server -c Release --no-build --no-launch-profile \
        -e ASPNETCORE_ENVIRONMENT=Development -- mint-token "$1" "$2" 2>/dev/null | tail -n 1
}
create_order_pending() {
    local token order
    token="$(mint_token marketplace smoke-test)"
    order="{\"requestId\": \"$(cat /proc/sys/kernel/random/uuid)\", \"orderId\": \"250-smoke\", \"sellerId\": \"SELLER-1\",
      \"buyerId\": \"BUYER-1\", \"currencyCode\": \"JPY\", \"purchaseTime\": \"$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)\",
      \"latestShipTime\": \"$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)\",
      \"items\": [{\"orderItemId\": \"A\", \"sku\": \"SKU-A\", \"title\": \"Tea cup\", \"quantity\": 1,
        \"unitCharges\": [{\"component\": \"CHARGE_COMPONENT_PRINCIPAL\", \"amount\": {\"currencyCode\": \"JPY\", \"units\": \"1099\"}}]}]}"
    [[ $(buf_curl -H "authorization: Bearer $token" -d "$order" "$url/orderservice.v1.OrderService/CreateOrder") == *ORDER_STATUS_PENDING* ]]
}
# HTTP/JSON on the HTTP/1.1 port: an order that does not exist is 404 with the
# google.rpc.Status as JSON, its ErrorInfo reason ORDER_NOT_FOUND.
http_json_not_found() {
    local token response
    token="$(mint_token seller SELLER-1)"
    response="$(curl -sS --http1.1 -w '\n%{http_code} %{content_type}' -H "Authorization: Bearer $token" \
        "$http_url/v1/orders/250-smoke-missing")" || return 1
    [[ ${response##*$'\n'} == "404 application/json"* ]] || { echo "got: $response" >&2; return 1; }
    [[ $response == *'"code":5'* && $response == *'"reason":"ORDER_NOT_FOUND"'* ]] || { echo "got: $response" >&2; return 1; }
}

# After CreateOrder: Prometheus scrapes over HTTP/1.1 on the metrics endpoint (the gRPC one
# is h2c only), and the scrape has the RPC just made (docs/observability.md).
metrics_over_http1() {
    local scrape
    scrape="$(curl -sf --http1.1 "$metrics_url/metrics")" || return 1
    [[ $scrape == *http_server_request_duration_seconds* && $scrape == *CreateOrder* ]]
}

check "health reports SERVING" health_serving
check "reflection lists the three services" three_services
check "CreateOrder with a development token answers a PENDING order" create_order_pending
check "Prometheus scrapes /metrics over HTTP/1.1 on the metrics endpoint" metrics_over_http1
check "HTTP/JSON: GET /v1/orders/{id} of a missing order answers 404 with a JSON google.rpc.Status" http_json_not_found

if ((failed > 0)); then
    echo "--- server log:"
    tail -n 40 "$dir/server.log"
fi
echo "$passed passed, $failed failed"
((failed == 0))
