#!/usr/bin/env bash
# kube-apiserver, kube-controller-manager and kubectl at the pinned Kubernetes release, built from the
# k8s.io/kubernetes Go module through scripts/go/kubernetes/go.mod (k8s.io/kubernetes required at its
# tag, every k8s.io/* staging module replaced by its matching v0.x). The first build takes many
# minutes on two cores; the result is cached and stamped in $TENANT_GITOPS_TOOLS.
source "$(dirname "$0")/lib.sh"

KUBERNETES_VERSION=v1.34.4
MODULE_DIR="$(cd "$(dirname "$0")/../go/kubernetes" && pwd)"
BINARIES=(kube-apiserver kube-controller-manager kubectl)
# The stamp covers the go.mod/go.sum too, so a changed pin rebuilds.
STAMP="$KUBERNETES_VERSION $(cat "$MODULE_DIR/go.mod" "$MODULE_DIR/go.sum" | sha256sum | cut -c1-16)"

all_present() {
  local b
  for b in "${BINARIES[@]}"; do [ -x "$TOOLS_BIN/$b" ] || return 1; done
}
if have_stamp kubernetes "$STAMP" && all_present; then exit 0; fi

# Without these, `kubectl version` and the API server's /version report v0.0.0-master, and clients
# that gate features on the server version (ArgoCD does) misbehave.
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
for b in "${BINARIES[@]}"; do
  log "building $b from k8s.io/kubernetes@$KUBERNETES_VERSION"
  (cd "$MODULE_DIR" && go build -mod=readonly -ldflags "$ldflags" -o "$build_dir/$b" "k8s.io/kubernetes/cmd/$b")
done
# Move into place only once all three built, so a half-finished build never looks installed.
for b in "${BINARIES[@]}"; do mv -f "$build_dir/$b" "$TOOLS_BIN/$b"; done
write_stamp kubernetes "$STAMP"
log "installed ${BINARIES[*]} ($KUBERNETES_VERSION) in $TOOLS_BIN"
