#!/usr/bin/env bash
# JSON Schemas for kubeconform, generated offline: Kubernetes v1.34.4 from the k8s.io/kubernetes
# module's api/openapi-spec/swagger.json, plus every CRD in $TENANT_GITOPS_TOOLS/crds/. Written once
# into $TENANT_GITOPS_TOOLS/schemas/v1.34.4 (re-generated when a CRD file changes).
#   kube-schemas.sh            generate (needs node_modules: the generator is TypeScript)
#   kube-schemas.sh download   only fetch what generating needs (the CRDs and the Kubernetes module)
source "$(dirname "$0")/lib.sh"
K8S_MODULE=k8s.io/kubernetes@v1.34.4
here="$(cd "$(dirname "$0")" && pwd)"
crds="$(bash "$here/crds.sh")"
out="$TENANT_GITOPS_TOOLS/schemas/v1.34.4"
k8s_module_dir() { (cd "$TENANT_GITOPS_TOOLS" && go mod download -json "$K8S_MODULE" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p'); }
if [ "${1:-}" = download ]; then
  bash "$here/crds.sh" >/dev/null
  [ -f "$out/namespace-v1.json" ] || k8s_module_dir >/dev/null
  exit 0
fi
crd_sum="$(cat "$crds"/*.yaml "$here/kube-schemas.ts" | sha256sum | cut -c1-16)"
if have_stamp kube-schemas "$K8S_MODULE+$crd_sum" && [ -f "$out/namespace-v1.json" ]; then
  printf '%s\n' "$out"; exit 0
fi
k8s_dir="$(k8s_module_dir)"
[ -n "$k8s_dir" ] || { log "go mod download $K8S_MODULE gave no directory"; exit 1; }
log "generating kubeconform schemas into $out"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
(cd "$here/../.." && node --import tsx "$here/kube-schemas.ts" "$k8s_dir/api/openapi-spec/swagger.json" "$crds" "$out.tmp")
rm -rf "$out" && mv "$out.tmp" "$out"
write_stamp kube-schemas "$K8S_MODULE+$crd_sum"
printf '%s\n' "$out"
