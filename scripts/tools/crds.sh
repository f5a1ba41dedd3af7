#!/usr/bin/env bash
# Every CRD the overlays, argocd/ and base/platform use, gathered in $TENANT_GITOPS_TOOLS/crds/
# (idempotent): HNC's (written by us in base/crds/hnc/), ArgoCD's (from the pinned argo-cd Go
# module), prometheus-operator's PrometheusRule (from its Go module; base/platform/monitoring) and
# external-secrets' stores, ExternalSecrets and PushSecrets (from its Go module: the tenant secret
# stores the overlays carry, the controller the secrets tests run, and the kinds admission refuses)
# and Velero's Backup and BackupStorageLocation (from its Go module: the final backup an offboarding
# takes, src/onboarding/cluster/final-backup.ts).
source "$(dirname "$0")/lib.sh"
ARGOCD_MODULE=github.com/argoproj/argo-cd/v3@v3.6.1
PROMETHEUS_OPERATOR_MODULE=github.com/prometheus-operator/prometheus-operator@v0.91.0
# The same version scripts/tools/external-secrets.sh builds the controller from.
EXTERNAL_SECRETS_MODULE=github.com/external-secrets/external-secrets@v0.16.2
VELERO_MODULE=github.com/vmware-tanzu/velero@v1.18.3
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

# module_crds NAME MOD@VER DIR FILE...: copy each FILE of the module's DIR to $crds/NAME-FILE, once
# per version (stamp NAME-crds).
module_crds() {
  local name="$1" module="$2" subdir="$3" f all=1 dir
  shift 3
  for f in "$@"; do [ -f "$crds/$name-$f" ] || all=0; done
  if have_stamp "$name-crds" "$module" && [ "$all" = 1 ]; then return 0; fi
  dir="$(module_dir "$module")"
  for f in "$@"; do
    [ -f "$dir/$subdir/$f" ] || { log "$module has no $subdir/$f"; exit 1; }
    cp "$dir/$subdir/$f" "$crds/$name-$f"
    chmod u+w "$crds/$name-$f"
  done
  write_stamp "$name-crds" "$module"
}
module_crds argocd "$ARGOCD_MODULE" manifests/crds application-crd.yaml applicationset-crd.yaml appproject-crd.yaml
module_crds prometheus-operator "$PROMETHEUS_OPERATOR_MODULE" example/prometheus-operator-crd \
  monitoring.coreos.com_prometheusrules.yaml
module_crds external-secrets "$EXTERNAL_SECRETS_MODULE" config/crds/bases \
  external-secrets.io_secretstores.yaml external-secrets.io_clustersecretstores.yaml \
  external-secrets.io_externalsecrets.yaml external-secrets.io_pushsecrets.yaml \
  external-secrets.io_clusterexternalsecrets.yaml external-secrets.io_clusterpushsecrets.yaml
module_crds velero "$VELERO_MODULE" config/crd/v1/bases velero.io_backups.yaml velero.io_backupstoragelocations.yaml
printf '%s\n' "$crds"
