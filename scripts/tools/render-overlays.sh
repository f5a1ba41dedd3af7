#!/usr/bin/env bash
# render-overlays: `tenantctl validate`'s kustomize, built from this repository's Go source in
# scripts/go/render-overlays against the kustomize module ArgoCD's repo-server runs (see argocd.sh),
# so validate renders overlays as ArgoCD will. Rebuilt when its source or module pins change.
source "$(dirname "$0")/lib.sh"

MODULE_DIR="$(cd "$(dirname "$0")/../go/render-overlays" && pwd)"
STAMP="$(cat "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum" "$MODULE_DIR"/*.go | sha256sum | cut -c1-16)"
if have_stamp render-overlays "$STAMP" && [ -x "$TOOLS_BIN/render-overlays" ]; then exit 0; fi

log "building render-overlays from scripts/go/render-overlays"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
(cd "$MODULE_DIR" && go build -mod=readonly -ldflags "-s -w" -o "$build_dir/render-overlays" .)
mv -f "$build_dir/render-overlays" "$TOOLS_BIN/render-overlays"
write_stamp render-overlays "$STAMP"
log "installed render-overlays in $TOOLS_BIN"
