#!/usr/bin/env bash
# Shared helpers for the tool installers in scripts/tools/. Every tool is built from its Go module
# (never a release-binary download) into a cache OUTSIDE the clone ($TENANT_GITOPS_TOOLS, defaulted
# in scripts/lib.sh), keyed by version, so a second run is a no-op and CI on the same machine reuses
# the builds.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" tools

TOOLS_STAMPS="$TENANT_GITOPS_TOOLS/stamps"
mkdir -p "$TOOLS_BIN" "$TOOLS_STAMPS"

# Go builds share one module and build cache outside the clone too.
export GOFLAGS="${GOFLAGS:-} -trimpath"
export GOTOOLCHAIN=local

# have_stamp NAME VERSION -> true when NAME was already installed at VERSION.
have_stamp() { [ -f "$TOOLS_STAMPS/$1" ] && [ "$(cat "$TOOLS_STAMPS/$1")" = "$2" ]; }
write_stamp() { printf '%s' "$2" >"$TOOLS_STAMPS/$1"; }

# go_install NAME MODULE_PATH@VERSION: `go install` a main package into $TOOLS_BIN once per version.
go_install() {
  local name="$1" target="$2"
  if have_stamp "$name" "$target" && [ -x "$TOOLS_BIN/$name" ]; then return 0; fi
  log "building $name from $target"
  GOBIN="$TOOLS_BIN" go install "$target"
  write_stamp "$name" "$target"
}
