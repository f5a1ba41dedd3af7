#!/usr/bin/env bash
# Every CRD the overlays and argocd/ use, gathered in $TENANT_GITOPS_TOOLS/crds/ (idempotent):
# HNC's (written by us in base/crds/hnc/) and ArgoCD's (from the pinned argo-cd Go module).
source "$(dirname "$0")/lib.sh"
ARGOCD_MODULE=github.com/argoproj/argo-cd/v3@v3.6.1
repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
crds="$TENANT_GITOPS_TOOLS/crds"
mkdir -p "$crds"

# module_dir MOD@VER: the extracted module directory. The argo-cd module asks for a newer Go than
# the local toolchain, so `go mod download` reports an error after extracting it; the directory is
# still complete, so fall back to its path in the module cache.
module_dir() {
  local json dir
  json="$(cd "$TENANT_GITOPS_TOOLS" && go mod download -json "$1" 2>/dev/null || true)"
  dir="$(printf '%s' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  if [ -z "$dir" ]; then
    local mod="${1%@*}" ver="${1#*@}"
    # Module cache paths escape upper-case letters as !lower; none of ours have any.
    dir="$(go env GOMODCACHE)/$mod@$ver"
  fi
  [ -d "$dir" ] || { log "cannot find the module directory of $1"; exit 1; }
  printf '%s' "$dir"
}

for f in "$repo_root"/base/crds/hnc/*.yaml; do
  [ "$(basename "$f")" = kustomization.yaml ] && continue
  cp "$f" "$crds/hnc-$(basename "$f")"
done
if ! have_stamp argocd-crds "$ARGOCD_MODULE" || [ ! -f "$crds/argocd-appproject-crd.yaml" ]; then
  argo_dir="$(module_dir "$ARGOCD_MODULE")"
  for f in application-crd.yaml applicationset-crd.yaml appproject-crd.yaml; do
    cp "$argo_dir/manifests/crds/$f" "$crds/argocd-$f"
    chmod u+w "$crds/argocd-$f"
  done
  write_stamp argocd-crds "$ARGOCD_MODULE"
fi
printf '%s\n' "$crds"
