#!/usr/bin/env bash
# etcd at the version Kubernetes v1.34.4 is tested with, built from its Go module through
# scripts/go/etcd/go.mod (the server module's sibling modules pinned at the same tag).
source "$(dirname "$0")/lib.sh"

ETCD_VERSION=v3.6.5
MODULE_DIR="$(cd "$(dirname "$0")/../go/etcd" && pwd)"
STAMP="$ETCD_VERSION $(cat "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum" | sha256sum | cut -c1-16)"
if have_stamp etcd "$STAMP" && [ -x "$TOOLS_BIN/etcd" ]; then exit 0; fi

log "building etcd from go.etcd.io/etcd/server/v3@$ETCD_VERSION"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$MODULE_DIR" && go build -mod=readonly -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
mv -f "$tmp/etcd" "$TOOLS_BIN/etcd"
write_stamp etcd "$STAMP"
