#!/usr/bin/env bash
# One idempotent set-up for a fresh machine: Debian packages, npm packages, and the Go-built tools
# (from Go modules, cached outside the clone in $TENANT_GITOPS_TOOLS). Safe to run again: each step
# checks before it installs.
#
#   scripts/setup.sh [all]   everything: what `npm test` needs (control plane, ArgoCD, every tool)
#   scripts/setup.sh main    only what `npm start` needs (`tenantctl generate`, `tenantctl validate`)
#
# The profiles share the stamps in $TENANT_GITOPS_TOOLS, so `all` after `main` builds only the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh setup

profile="${1:-all}"
case "$profile" in
  main)
    # validate renders the overlays with render-overlays and checks them with kubeconform against
    # the generated schemas (kube-schemas.sh gathers the CRDs through crds.sh). None of it needs a
    # Debian package; Kubernetes, etcd, ArgoCD, redis and cyclonus serve only the tests.
    APT_PACKAGES=()
    TOOLS=(scripts/tools/render-overlays.sh scripts/tools/kubeconform.sh scripts/tools/kube-schemas.sh)
    ;;
  all)
    # git for the tests' platform repositories, openssl for the control plane's certificates,
    # redis-server for ArgoCD's cache, postgresql for the PostgreSQL store's tests
    # (scripts/postgres.sh) and libpq-dev for the service's PostgreSQL binding (git is on every
    # machine; the rest is installed once). Every scripts/tools/*.sh runs, so a new tool script
    # (promtool.sh, for the alert tests) needs no entry.
    APT_PACKAGES=(git openssl redis-server postgresql libpq-dev)
    TOOLS=()
    for tool in scripts/tools/*.sh; do [ "$(basename "$tool")" = lib.sh ] || TOOLS+=("$tool"); done
    ;;
  *)
    log "usage: $0 [main|all]"
    exit 2
    ;;
esac

missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, from the lock file; skipped when node_modules already matches it. The main job
# (generate, validate) loads no native addon, so profile `main` skips install scripts: better-sqlite3
# and libpq, which only the onboarding service uses, are compiled by profile `all` (npm rebuild).
install_npm_packages() {
  local stamp=node_modules/.tenant-gitops-lock lock_sum current=""
  lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  [ -f "$stamp" ] && current="$(cat "$stamp")"
  [ "$current" = "$lock_sum" ] && return 0
  [ "$profile" = main ] && [ "$current" = "$lock_sum main" ] && return 0
  # better-sqlite3 compiles against the local Node headers (no prebuilt download is reachable).
  export npm_config_nodedir="${npm_config_nodedir:-/usr}"
  if [ "$profile" = all ] && [ "$current" = "$lock_sum main" ]; then
    log "compiling better-sqlite3 and libpq (npm start skipped them)"
    npm rebuild better-sqlite3 libpq esbuild
    printf '%s' "$lock_sum" >"$stamp"
    return 0
  fi
  log "installing npm packages"
  # `npm install --no-save` rather than `npm ci`: the lock lists rollup's optional binaries for every
  # platform, and a registry mirror that serves only this platform's makes `npm ci` refuse the lock
  # as "out of sync". Installing from the lock without saving keeps the pinned versions.
  if [ "$profile" = main ]; then
    npm install --no-save --no-audit --no-fund --ignore-scripts
    printf '%s' "$lock_sum main" >"$stamp"
  else
    npm install --no-save --no-audit --no-fund
    printf '%s' "$lock_sum" >"$stamp"
  fi
}

# Tools whose installer runs TypeScript, so they wait for node_modules (and take `download`, which
# fetches what they need meanwhile).
NEEDS_NODE_MODULES=(scripts/tools/kube-schemas.sh)
needs_node_modules() { local t; for t in "${NEEDS_NODE_MODULES[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

# The npm packages install while the Go-built tools (each script idempotent and version-stamped)
# download and compile: on a fresh machine both are long, and they wait on different things.
install_npm_packages &
npm_pid=$!
trap 'kill "$npm_pid" 2>/dev/null || true' EXIT
for tool in "${TOOLS[@]}"; do if needs_node_modules "$tool"; then bash "$tool" download; else bash "$tool"; fi; done
wait "$npm_pid" || { log "installing the npm packages failed (see above)"; exit 1; }
trap - EXIT
for tool in "${TOOLS[@]}"; do if needs_node_modules "$tool"; then bash "$tool"; fi; done

log "ready"
