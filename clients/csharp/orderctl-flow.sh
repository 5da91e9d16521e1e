#!/usr/bin/env bash
# orderctl drives the README's sample flow against a real server, as a user would:
# tokens, intake, a refused shipment, subscriptions that survive a server restart
# (--follow --cursor-file), a cancellation, a refused call's readable error, a feed from a
# tab-separated file (run twice: the second run applies nothing again), the report file.
# Each check counts as one test; ends with "N passed, N failed". Uses the test server of
# scripts/client-tests.sh (ORDERSERVICE_TEST_URL, ORDERSERVICE_TEST_SERVER), or starts one.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="$(mktemp -d /tmp/orderctl-flow.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    [[ -n ${own_server:-} ]] && "$ORDERSERVICE_TEST_SERVER" stop
    rm -rf "$dir"
}
trap cleanup EXIT
export ORDERSERVICE_TEST_SERVER="${ORDERSERVICE_TEST_SERVER:-$root/scripts/test-server}"
if [[ -z ${ORDERSERVICE_TEST_URL:-} ]]; then
    export ORDERSERVICE_TEST_STATE="$dir/server" own_server=1
    ORDERSERVICE_TEST_URL="$("$ORDERSERVICE_TEST_SERVER" start)" || { echo "0 passed, 1 failed"; exit 1; }
fi

dll="$here/OrderCtl/bin/Release/net10.0/orderctl.dll"
orderctl() { dotnet "$dll" --address "$ORDERSERVICE_TEST_URL" "$@"; }
key="${ORDERSERVICE_TEST_SIGNING_KEY:-client-tests-signing-key-0123456789abcdef}"

passed=0 failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok: orderctl: $name"
        passed=$((passed + 1))
    else
        echo "FAILED: orderctl: $name" >&2
        failed=$((failed + 1))
    fi
}
# Waits up to 30 s for a file to hold a pattern (extended regex).
wait_for() {
    for _ in $(seq 300); do
        grep -Eq "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
types_of() { grep -Eo '"type": "NOTIFICATION_TYPE_[A-Z_]*"' "$1" | sed -E 's/.*TYPE_([A-Z_]*)"/\1/' | paste -sd' '; }
no_duplicates() { [[ -z $(grep -Eo '"notificationId": "[^"]*"' "$1" | sort | uniq -d) ]]; }

run=$RANDOM$RANDOM
seller_id="SELLER-CTL-$run" buyer_id="BUYER-CTL-$run" order="CTL-$run-1"

tokens() {
    MARKETPLACE="$(orderctl token marketplace intake --signing-key "$key")" &&
        SELLER="$(orderctl token seller "$seller_id" --signing-key "$key")" &&
        BUYER="$(orderctl token buyer "$buyer_id" --signing-key "$key")" &&
        [[ $MARKETPLACE =~ ^[^.]+\.[^.]+\.[^.]+$ && $SELLER == *.*.* && $BUYER == *.*.* ]]
}
check "token mints a marketplace, a seller and a buyer token" tokens

order_json() {
    cat <<JSON
{"orderId": "$1", "sellerId": "$seller_id", "buyerId": "$buyer_id", "currencyCode": "JPY",
 "purchaseTime": "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)", "latestShipTime": "$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)",
 "items": [{"orderItemId": "A", "sku": "SKU-A", "title": "Tea cup", "quantity": 2,
            "unitCharges": [{"component": "CHARGE_COMPONENT_PRINCIPAL", "amount": {"currencyCode": "JPY", "units": "1099"}}]}]}
JSON
}
authorize_json() {
    cat <<JSON
{"orderId": "$1", "shippingAddress": {"recipientName": "Hanako Yamada", "addressLines": ["1-2-3 Chiyoda"],
 "locality": "Chiyoda-ku", "administrativeArea": "Tokyo", "postalCode": "100-0001", "regionCode": "JP"},
 "buyerContact": {"name": "Hanako Yamada", "email": "hanako@example.jp"}}
JSON
}

# The subscribers start first, so they see the order from its creation; each stores its
# start cursor in its file at once.
subscribe() {
    # exec: $! is the subscriber itself, so the kills below reach it, not a subshell.
    (exec dotnet "$dll" --address "$ORDERSERVICE_TEST_URL" subscribe --follow --token "$2" --order-id "$order" \
        --cursor-file "$dir/$1.cursor" >"$dir/$1.out" 2>"$dir/$1.err") &
    pids+=($!)
}
subscribe seller "$SELLER"
subscribe buyer "$BUYER"
check "subscribe --follow stores the start cursor before any notice" \
    bash -c "for _ in \$(seq 300); do [[ -s '$dir/seller.cursor' && -s '$dir/buyer.cursor' ]] && exit 0; sleep 0.1; done; exit 1"

create() { orderctl call CreateOrder --token "$MARKETPLACE" "$(order_json "$order")" >"$dir/create.json" 2>/dev/null && grep -q ORDER_STATUS_PENDING "$dir/create.json"; }
check "call CreateOrder answers a PENDING order (R1)" create

refused_shipment() {
    orderctl call ConfirmShipment --token "$SELLER" \
        "{\"orderId\": \"$order\", \"lines\": [{\"orderItemId\": \"A\", \"quantity\": 1}], \"carrier\": \"Yamato\", \"trackingNumber\": \"1\"}" \
        >/dev/null 2>"$dir/ship.err"
    [[ $? -eq 1 ]] && grep -q "FAILED_PRECONDITION (ORDER_PENDING)" "$dir/ship.err" && grep -q "order_status: PENDING" "$dir/ship.err"
}
check "a shipment before payment is refused readably: exit 1, FAILED_PRECONDITION (ORDER_PENDING), metadata (R2)" refused_shipment

authorize() { authorize_json "$order" | orderctl call AuthorizePayment --token "$MARKETPLACE" - 2>/dev/null | grep -q ORDER_STATUS_UNSHIPPED; }
check "call AuthorizePayment with the request on standard input makes it UNSHIPPED (R3)" authorize

check "the seller's subscriber prints ORDER_CREATED and PAYMENT_AUTHORIZED" wait_for "$dir/seller.out" PAYMENT_AUTHORIZED
check "the buyer's subscriber prints ORDER_CREATED" wait_for "$dir/buyer.out" ORDER_CREATED

restart_and_cancel() {
    "$ORDERSERVICE_TEST_SERVER" restart >/dev/null &&
        orderctl call CancelOrder --token "$SELLER" "{\"orderId\": \"$order\", \"reason\": \"CANCEL_REASON_NO_INVENTORY\"}" 2>/dev/null |
        grep -q ORDER_STATUS_CANCELED
}
check "after a server restart, call CancelOrder cancels the order (R11)" restart_and_cancel
check "the seller's subscriber resumed across the restart: ORDER_CANCELED" wait_for "$dir/seller.out" ORDER_CANCELED
check "the buyer's subscriber resumed across the restart: ORDER_CANCELED" wait_for "$dir/buyer.out" ORDER_CANCELED
sleep 1.5 # a heartbeat more: nothing else may arrive
seller_types() { [[ $(types_of "$dir/seller.out") == "ORDER_CREATED PAYMENT_AUTHORIZED ORDER_CANCELED" ]]; }
buyer_types() { [[ $(types_of "$dir/buyer.out") == "ORDER_CREATED ORDER_CANCELED" ]]; }
check "the seller got each notice once, in order: $(types_of "$dir/seller.out")" seller_types
check "the buyer got each notice once, in order: $(types_of "$dir/buyer.out")" buyer_types
check "no notification_id was printed twice" bash -c "$(declare -f no_duplicates); no_duplicates '$dir/seller.out' && no_duplicates '$dir/buyer.out'"
check "the subscribers saw the restart and reconnected" grep -q "reconnecting" "$dir/seller.err"

resume_from_file() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait "${pids[@]}" 2>/dev/null
    pids=()
    # Both subscribers are gone (SIGTERM is a clean stop for orderctl).
    pgrep -f "subscribe --follow --token .* --order-id $order " >/dev/null && return 1
    # Caught up: resuming after the stored cursor prints nothing and stops at the heartbeat.
    orderctl subscribe --token "$SELLER" --order-id "$order" --cursor-file "$dir/seller.cursor" >"$dir/again.out" 2>/dev/null &&
        [[ ! -s $dir/again.out ]]
}
check "subscribe --cursor-file resumes after the last notice printed: nothing again" resume_from_file

invalid_field() {
    orderctl call CreateOrder --token "$MARKETPLACE" "$(order_json "$order-bad" | sed '1s/"currencyCode": "JPY"/"currencyCode": "yen"/')" \
        >/dev/null 2>"$dir/invalid.err"
    [[ $? -eq 1 ]] && grep -q "INVALID_ARGUMENT (INVALID_FIELD)" "$dir/invalid.err" && grep -q "field currency_code" "$dir/invalid.err"
}
check "a refused call shows status, reason and the field: INVALID_ARGUMENT (INVALID_FIELD), field currency_code" invalid_field

feed() {
    local o
    for o in "$order-f1" "$order-f2"; do
        orderctl call CreateOrder --token "$MARKETPLACE" "$(order_json "$o")" >/dev/null 2>&1 &&
            orderctl call AuthorizePayment --token "$MARKETPLACE" "$(authorize_json "$o")" >/dev/null 2>&1 || return 1
    done
    printf 'order-id\tcancel-reason\tnote\n%s\tNoInventory\tsold out\n%s\tNoInventory\tsold out\n%s\tNoInventory\tno such order\n' \
        "$order-f1" "$order-f2" "$order-nope" >"$dir/cancel.tsv"
    orderctl feed cancellation "$dir/cancel.tsv" --token "$SELLER" >"$dir/feed1.json" 2>"$dir/feed1.err"
    [[ $? -eq 3 ]] && grep -q "3 lines, 2 accepted, 1 refused" "$dir/feed1.err" || return 1
    # The same file again: the same request_id, the stored answer, no second cancellation.
    orderctl feed cancellation "$dir/cancel.tsv" --token "$SELLER" >"$dir/feed2.json" 2>/dev/null
    [[ $? -eq 3 ]] && cmp -s "$dir/feed1.json" "$dir/feed2.json"
}
check "feed cancellation from a TSV file: 2 accepted, 1 refused (R10); the same file again answers the same" feed

report() {
    orderctl report --type all --out "$dir/report.tsv" --token "$SELLER" 2>/dev/null &&
        head -n 1 "$dir/report.tsv" | grep -q "^order-id" && grep -q "^$order-f1	" "$dir/report.tsv"
}
check "report writes the flat file with the header and the seller's orders" report

get_order() { orderctl call GetOrder --token "$BUYER" "{\"orderId\": \"$order\"}" 2>/dev/null | grep -q ORDER_STATUS_CANCELED; }
check "the buyer reads the canceled order with call GetOrder" get_order

echo "$passed passed, $failed failed"
((failed == 0))
