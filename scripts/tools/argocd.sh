#!/usr/bin/env bash
# ArgoCD's controllers, kustomize and Redis for the real-ArgoCD cluster tests:
# - argocd: ArgoCD's single binary, built from github.com/argoproj/argo-cd/v3 (cmd/) through
#   scripts/go/argocd/go.mod, installed once and symlinked under the names it dispatches on
#   (argocd-application-controller, argocd-repo-server, argocd-applicationset-controller);
# - kustomize: the repo-server renders our overlays by calling a `kustomize` binary;
# - redis-server: Debian's package (ArgoCD's cache).
# Idempotent: each part is stamped with its version in $TENANT_GITOPS_TOOLS.
source "$(dirname "$0")/lib.sh"

ARGOCD_VERSION=v3.6.1
ARGOCD_MODULE=github.com/argoproj/argo-cd/v3
GITOPS_ENGINE_MODULE=github.com/argoproj/argo-cd/gitops-engine/v3
# v5.8.1 is the newest kustomize whose go.mod the local toolchain accepts (v5.8.3 asks for go 1.27).
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5@v5.8.1
MODULE_DIR="$(cd "$(dirname "$0")/../go/argocd" && pwd)"
ARGOCD_NAMES=(argocd-application-controller argocd-repo-server argocd-applicationset-controller)
STAMP="$ARGOCD_VERSION $( (cat "$MODULE_DIR/go.mod"; cat "$MODULE_DIR/go.sum" 2>/dev/null || true) | sha256sum | cut -c1-16)"

install_redis() {
  command -v redis-server >/dev/null && return 0
  log "installing redis-server (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >/dev/null; }
}

# module_copy MOD VERSION: a writable copy of MOD@VERSION whose `go` line the local toolchain accepts.
# ArgoCD v3.6.1 declares `go 1.27.0`; with no toolchain download allowed here (GOTOOLCHAIN=local) the
# go command refuses such a module outright. Its code compiles with the local toolchain, so only the
# declaration is lowered; the sources are the module proxy's bytes, checked by `go mod download`.
module_copy() {
  local mod="$1" ver="$2" src dst local_go
  (cd "$TENANT_GITOPS_TOOLS" && go mod download "$mod@$ver" >/dev/null 2>&1 || true)
  src="$(go env GOMODCACHE)/$mod@$ver"
  [ -f "$src/go.mod" ] || { log "go mod download $mod@$ver left no module directory at $src"; exit 1; }
  dst="$TENANT_GITOPS_TOOLS/src/$(printf '%s' "$mod" | tr / _)@$ver"
  if [ ! -f "$dst/.complete" ]; then
    rm -rf "$dst" && mkdir -p "$(dirname "$dst")"
    cp -r "$src" "$dst" && chmod -R u+w "$dst"
    local_go="$(go env GOVERSION)"; local_go="${local_go#go}"
    sed -i "s/^go [0-9.]*$/go ${local_go%.*}.0/; /^toolchain /d" "$dst/go.mod"
    touch "$dst/.complete"
  fi
  printf '%s' "$dst"
}

install_argocd() {
  local all=1 n
  for n in argocd "${ARGOCD_NAMES[@]}"; do [ -x "$TOOLS_BIN/$n" ] || all=0; done
  if have_stamp argocd "$STAMP" && [ "$all" = 1 ]; then return 0; fi
  local argo engine build
  argo="$(module_copy "$ARGOCD_MODULE" "$ARGOCD_VERSION")"
  engine="$(module_copy "$GITOPS_ENGINE_MODULE" "$ARGOCD_VERSION")"
  build="$TENANT_GITOPS_TOOLS/build/argocd"
  mkdir -p "$build"
  cp "$MODULE_DIR/go.mod" "$build/go.mod"
  [ -f "$MODULE_DIR/go.sum" ] && cp "$MODULE_DIR/go.sum" "$build/go.sum"
  (cd "$build" && go mod edit -replace "$ARGOCD_MODULE=$argo" -replace "$GITOPS_ENGINE_MODULE=$engine")
  local pkg=github.com/argoproj/argo-cd/v3/common
  local ldflags="-s -w -X $pkg.version=${ARGOCD_VERSION#v} -X $pkg.gitTag=$ARGOCD_VERSION"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  log "building argocd $ARGOCD_VERSION from $ARGOCD_MODULE (many minutes on two cores the first time)"
  # ArgoCD uses encoding/json/v2, standard in Go 1.27 and behind GOEXPERIMENT=jsonv2 in Go 1.26.
  (cd "$build" && CGO_ENABLED=0 GOEXPERIMENT=jsonv2 go build -mod=mod -ldflags "$ldflags" -o "$build/argocd" "$ARGOCD_MODULE/cmd")
  mv -f "$build/argocd" "$TOOLS_BIN/argocd"
  for n in "${ARGOCD_NAMES[@]}"; do ln -sf argocd "$TOOLS_BIN/$n"; done
  write_stamp argocd "$STAMP"
  log "installed argocd ($ARGOCD_VERSION) as ${ARGOCD_NAMES[*]} in $TOOLS_BIN"
}

install_redis
go_install kustomize "$KUSTOMIZE_MODULE"
install_argocd
