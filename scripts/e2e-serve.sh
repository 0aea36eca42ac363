#!/usr/bin/env bash
# End-to-end and load tests of `tiaokuai serve`.
#
#   scripts/e2e-serve.sh            # browser test (headless Chromium)
#   scripts/e2e-serve.sh --load     # also the load tests (30 clients for 30 s;
#                                   # 40 students through the institutions lesson;
#                                   # 40 students in the role-play)
#
# Needs Debian's `chromium` (apt-get install -y chromium) and Node.js; installs
# playwright-core into e2e/node_modules from e2e/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ]; then
  echo "e2e-serve: chromium not found (apt-get install -y chromium)" >&2
  exit 1
fi
cargo build --release --quiet
(cd e2e && npm ci --no-audit --no-fund --silent)
TIAOKUAI_BIN="$PWD/target/release/tiaokuai" CHROMIUM="$CHROMIUM" E2E_OUT="${E2E_OUT:-e2e/out}" \
  node e2e/serve.test.mjs
TIAOKUAI_BIN="$PWD/target/release/tiaokuai" CHROMIUM="$CHROMIUM" E2E_OUT="${E2E_OUT:-e2e/out}" \
  node e2e/class.test.mjs

if [ "${1:-}" = "--load" ]; then
  cargo test --release --test serve_load -- --ignored --nocapture
  cargo test --release --test serve_class -- --ignored --nocapture
fi
