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

# go_build_wrapped NAME PACKAGE: build the main package PACKAGE into $TOOLS_BIN/NAME through the
# wrapper module scripts/go/NAME/go.mod, once per content of that go.mod. For modules whose own
# go.mod has replace directives, which `go install MODULE@VERSION` refuses: the wrapper requires the
# module at its release tag and copies the replace directives that do not point into the module's
# own tree (replace directives apply only in the main module).
go_build_wrapped() {
  local name="$1" package="$2" wrapper build stamp
  wrapper="$(cd "$(dirname "${BASH_SOURCE[0]}")/../go/$name" && pwd)"
  stamp="$package $(sha256sum "$wrapper/go.mod" | cut -c1-16)"
  if have_stamp "$name" "$stamp" && [ -x "$TOOLS_BIN/$name" ]; then return 0; fi
  build="$TENANT_GITOPS_TOOLS/build/$name"
  mkdir -p "$build"
  cp "$wrapper/go.mod" "$build/go.mod"
  log "building $name from $package (many minutes on two cores the first time)"
  (cd "$build" && CGO_ENABLED=0 go build -mod=mod -ldflags "-s -w" -o "$build/$name" "$package")
  mv -f "$build/$name" "$TOOLS_BIN/$name"
  write_stamp "$name" "$stamp"
  log "installed $name in $TOOLS_BIN"
}
