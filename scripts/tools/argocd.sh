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
# ArgoCD v3.6.1 (and its Kubernetes v0.37 libraries) is written for Go 1.27: a local Go 1.26 cannot
# compile it (promoted fields in composite literals). The go command fetches the pinned toolchain
# from the Go module proxy like any module, for this build only; every other tool builds with the
# local Go (lib.sh sets GOTOOLCHAIN=local).
ARGOCD_GOTOOLCHAIN=go1.27.3

# v5.8.1 is the newest kustomize whose go.mod the local toolchain accepts (v5.8.3 asks for go 1.27).
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5@v5.8.1
MODULE_DIR="$(cd "$(dirname "$0")/../go/argocd" && pwd)"
ARGOCD_NAMES=(argocd-application-controller argocd-repo-server argocd-applicationset-controller)
ARGOCD_SCRIPTS=(git-verify-wrapper.sh gpg-wrapper.sh)
STAMP="$ARGOCD_VERSION $ARGOCD_GOTOOLCHAIN $( (cat "$MODULE_DIR/go.mod"; cat "$MODULE_DIR/go.sum" 2>/dev/null || true) | sha256sum | cut -c1-16)"

install_redis() {
  command -v redis-server >/dev/null && return 0
  log "installing redis-server (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >/dev/null; }
}

install_argocd() {
  local all=1 n
  for n in argocd "${ARGOCD_NAMES[@]}" "${ARGOCD_SCRIPTS[@]}"; do [ -x "$TOOLS_BIN/$n" ] || all=0; done
  if have_stamp argocd "$STAMP" && [ "$all" = 1 ]; then return 0; fi
  local build="$TENANT_GITOPS_TOOLS/build/argocd"
  mkdir -p "$build"
  cp "$MODULE_DIR/go.mod" "$build/go.mod"
  [ -f "$MODULE_DIR/go.sum" ] && cp "$MODULE_DIR/go.sum" "$build/go.sum"
  local pkg=github.com/argoproj/argo-cd/v3/common
  local ldflags="-s -w -X $pkg.version=${ARGOCD_VERSION#v} -X $pkg.gitTag=$ARGOCD_VERSION"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  log "building argocd $ARGOCD_VERSION from $ARGOCD_MODULE with $ARGOCD_GOTOOLCHAIN (many minutes on two cores the first time)"
  (cd "$build" && GOTOOLCHAIN="$ARGOCD_GOTOOLCHAIN" CGO_ENABLED=0 go build -mod=mod -ldflags "$ldflags" -o "$build/argocd" "$ARGOCD_MODULE/cmd")
  mv -f "$build/argocd" "$TOOLS_BIN/argocd"
  # The repo-server execs these helper scripts by name (ArgoCD's image puts them on PATH); they
  # come from the same module, untouched.
  local module_dir s
  module_dir="$(cd "$build" && GOTOOLCHAIN="$ARGOCD_GOTOOLCHAIN" go list -m -f '{{.Dir}}' "$ARGOCD_MODULE")"
  for s in "${ARGOCD_SCRIPTS[@]}"; do install -m 0755 "$module_dir/hack/$s" "$TOOLS_BIN/$s"; done
  for n in "${ARGOCD_NAMES[@]}"; do ln -sf argocd "$TOOLS_BIN/$n"; done
  write_stamp argocd "$STAMP"
  log "installed argocd ($ARGOCD_VERSION) as ${ARGOCD_NAMES[*]} in $TOOLS_BIN"
}

install_redis
go_install kustomize "$KUSTOMIZE_MODULE"
install_argocd
