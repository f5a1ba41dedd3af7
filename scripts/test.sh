#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (idempotent), lint and format, type check, overlays up to date,
# unit + integration tests, then the control-plane tests against a real etcd + kube-apiserver +
# kube-controller-manager started here and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh all

echo "== lint and format (eslint, prettier --check)"
npm run -s lint

echo "== type check"
npx tsc --noEmit -p tsconfig.json

echo "== committed overlays match the tenant specs"
npx tsx src/cli/main.ts generate --check

results=.test-results
mkdir -p "$results"
rm -f "$results"/*.json

# An existing cluster can be used instead: KUBECONFIG set and TENANT_GITOPS_USE_KUBECONFIG=1.
if [ "${TENANT_GITOPS_USE_KUBECONFIG:-0}" != 1 ]; then
  echo "== starting the control plane"
  trap 'bash scripts/control-plane.sh stop >/dev/null 2>&1 || true' EXIT
  bash scripts/control-plane.sh start >/dev/null
  eval "$(bash scripts/control-plane.sh env)"
fi

status=0
echo "== unit and integration tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile="$results/unit.json" || status=1
echo "== control-plane tests"
npx vitest run --project e2e --reporter=default --reporter=json --outputFile="$results/e2e.json" || status=1

# One closing line that any CI reader understands: "N passed, N failed, N skipped".
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/e2e.json"
exit "$status"
