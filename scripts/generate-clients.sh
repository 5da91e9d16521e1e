#!/usr/bin/env bash
# Regenerates the TypeScript, Python and Go client code from protos/ (buf.gen.yaml), or,
# with --check, fails when the committed code differs from what the protos generate now.
#   ./scripts/generate-clients.sh           rewrite clients/{typescript/src,python,go}/gen
#   ./scripts/generate-clients.sh --check   compare only (scripts/client-tests.sh runs this)
# Needs: npm ci (buf, protoc-gen-es), and Debian's protobuf-compiler, protobuf-compiler-grpc,
# protoc-gen-go and protoc-gen-go-grpc (.ci/run installs them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

generated=(clients/typescript/src/gen clients/python/gen clients/go/gen)
out="$(mktemp -d /tmp/orderservice-gen.XXXXXX)"
trap 'rm -rf "$out"' EXIT

npx --no-install buf generate -o "$out"
# error_details.proto is an input for TypeScript and Python, which have no package of it
# here; Go imports it from google.golang.org/genproto, so its copy is dropped.
rm -rf "$out/clients/go/gen/google"

if [[ ${1:-} == --check ]]; then
    stale=0
    for dir in "${generated[@]}"; do
        if ! diff -r -x __pycache__ "$out/$dir" "$dir" >/dev/null 2>&1; then
            echo "$dir is out of date with protos/ (fix: ./scripts/generate-clients.sh):" >&2
            diff -r -x __pycache__ "$out/$dir" "$dir" | head -n 20 >&2 || true
            stale=1
        fi
    done
    exit $stale
fi

for dir in "${generated[@]}"; do
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    cp -r "$out/$dir" "$dir"
done
echo "generated: ${generated[*]}"
