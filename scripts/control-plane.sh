#!/usr/bin/env bash
# A real Kubernetes control plane for the cluster tests: etcd, kube-apiserver and
# kube-controller-manager (pinned, built from Go modules by scripts/tools/) on 127.0.0.1 with random
# free ports and a temporary data dir. No kubelet, scheduler or CNI: pods are admitted (quota, Pod
# Security, LimitRange, node-selector and toleration plugins, RBAC) but never run.
#
#   control-plane.sh start    idempotent: starts (or finds running), waits for /readyz, installs the
#                             HNC and ArgoCD CRDs, writes $DIR/kubeconfig, prints `export KUBECONFIG=…`
#   control-plane.sh env      prints `export KUBECONFIG=…` when running (exit 1 otherwise)
#   control-plane.sh status   one line per process, exit 0 only when the API server is ready
#   control-plane.sh stop     stops every process it started (process groups), removes the data dir
#
# DIR is $TENANT_GITOPS_CLUSTER_DIR, default <repo>/.cluster (git-ignored).
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
# log, the tools directory ($TOOLS_BIN), pid_of, alive, launch, free_port, kubectl_bin.
source "$repo_root/scripts/lib.sh" control-plane
tools="$repo_root/scripts/tools"
DIR="${TENANT_GITOPS_CLUSTER_DIR:-$repo_root/.cluster}"
PKI="$DIR/pki"
RUN="$DIR/run"
LOGS="$DIR/logs"
KUBECONFIG_FILE="$DIR/kubeconfig"
COMPONENTS=(etcd kube-apiserver kube-controller-manager)
# The longest ServiceAccount token the API server issues: MAX_TOKEN_SECONDS of src/tenant/platform.ts
# (a unit test keeps them equal), as operators set it (see README, Connecting a real cluster).
MAX_TOKEN_EXPIRATION=86400s
# Controllers the tests rely on: tokens and default ServiceAccounts (pods need one), quota usage,
# namespace deletion and garbage collection (offboarding), the PVC finalizer (else a namespace
# holding a PersistentVolumeClaim never finishes deleting), and the PersistentVolume binder and its
# finalizer (the offboarding's verification: a volume bound to a tenant claim, released when the
# claim goes).
CONTROLLERS="${TENANT_GITOPS_CONTROLLERS:-serviceaccount-token-controller,serviceaccount-controller,resourcequota-controller,namespace-controller,garbage-collector-controller,persistentvolumeclaim-protection-controller,persistentvolume-binder-controller,persistentvolume-protection-controller}"

die() {
  log "$*"
  # A start that fails half-way leaves nothing running behind it.
  if [ "${starting:-0}" = 1 ]; then starting=0; stop_all quiet || true; fi
  exit 1
}

api_ready() {
  [ -f "$RUN/apiserver.url" ] || return 1
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "$(cat "$RUN/apiserver.url")/readyz" >/dev/null 2>&1
}

running() {
  local c
  for c in "${COMPONENTS[@]}"; do alive "$c" || return 1; done
  api_ready
}

print_env() { printf 'export KUBECONFIG=%q\n' "$KUBECONFIG_FILE"; }

ensure_binaries() {
  bash "$tools/etcd.sh"
  bash "$tools/kubernetes.sh"
  local c
  for c in "${COMPONENTS[@]}"; do [ -x "$TOOLS_BIN/$c" ] || die "$TOOLS_BIN/$c is missing after the build"; done
}

# Certificates: one CA; the API server's serving cert for 127.0.0.1/localhost; an admin client cert
# (group system:masters) for the tests; the controller-manager's own identity; the ServiceAccount
# token signing key pair (TokenRequest). Made once per DIR and reused across restarts.
make_pki() {
  [ -f "$PKI/sa.pub" ] && return 0
  mkdir -p "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=tenant-gitops-test-ca" 2>/dev/null
    sign() { # name subject [extfile]
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 ${3:+-extfile "$3"} 2>/dev/null
      rm -f "$1.csr"
    }
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    sign apiserver "/CN=kube-apiserver" server.ext
    sign admin "/O=system:masters/CN=tenant-gitops-admin" client.ext
    sign controller-manager "/CN=system:kube-controller-manager" client.ext
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f server.ext client.ext
  )
}

write_kubeconfig() { # file user-cert user-key server
  local b64="base64 -w0"
  cat >"$1.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: tenant-gitops
    cluster:
      server: $4
      certificate-authority-data: $($b64 "$PKI/ca.crt")
users:
  - name: $(basename "$2" .crt)
    user:
      client-certificate-data: $($b64 "$2")
      client-key-data: $($b64 "$3")
contexts:
  - name: tenant-gitops
    context: { cluster: tenant-gitops, user: $(basename "$2" .crt) }
current-context: tenant-gitops
EOF
  chmod 600 "$1.tmp"
  mv "$1.tmp" "$1"
}

wait_until() { # seconds description command...
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
  : "$what"
}

install_crds() {
  local kubectl crds
  kubectl="$(kubectl_bin)"
  crds="$(bash "$tools/crds.sh")"
  KUBECONFIG="$KUBECONFIG_FILE" "$kubectl" apply --server-side --force-conflicts -f "$crds" >/dev/null
  # `kubectl wait` fails outright while a new CRD has no conditions yet, so poll instead.
  wait_until 60 "CRDs Established" crds_established || return 1
}

crds_established() {
  KUBECONFIG="$KUBECONFIG_FILE" "$(kubectl_bin)" wait --for=condition=Established --timeout=5s crd --all >/dev/null 2>&1
}

start() {
  if running; then print_env; return 0; fi
  stop_all quiet
  starting=1
  trap 'die "start failed at line $LINENO"' ERR
  ensure_binaries
  make_pki
  mkdir -p "$RUN" "$LOGS"
  local data etcd_port peer_port api_port started=$SECONDS
  data="$(mktemp -d "${TMPDIR:-/tmp}/tenant-gitops-etcd.XXXXXX")"
  echo "$data" >"$RUN/data-dir"
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  local etcd_url="http://127.0.0.1:$etcd_port" api_url="https://127.0.0.1:$api_port"
  echo "$api_url" >"$RUN/apiserver.url"

  launch etcd "$TOOLS_BIN/etcd" --name tenant-gitops --data-dir "$data" \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "tenant-gitops=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync --log-level warn
  wait_until 30 etcd curl -fsS --max-time 2 "$etcd_url/health" -o /dev/null 2>/dev/null || die "etcd did not become healthy; see $LOGS/etcd.log"

  # Default admission plugins stay on; these three are added. PodSecurity enforces the namespace
  # labels (restricted on tenant namespaces); the other two apply a namespace's node-selector and
  # default-toleration annotations (dedicated pools).
  launch kube-apiserver "$TOOLS_BIN/kube-apiserver" \
    --etcd-servers "$etcd_url" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins PodSecurity,PodNodeSelector,PodTolerationRestriction \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --api-audiences https://kubernetes.default.svc.cluster.local \
    --service-account-max-token-expiration "$MAX_TOKEN_EXPIRATION" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged=true --profiling=false \
    --endpoint-reconciler-type none --v 1
  wait_until 90 kube-apiserver api_ready || die "kube-apiserver did not become ready; see $LOGS/kube-apiserver.log"

  # Each controller runs as its own ServiceAccount (system:controller:* bootstrap roles), as in a
  # real cluster; the controller-manager's own identity only mints their tokens.
  write_kubeconfig "$RUN/controller-manager.kubeconfig" "$PKI/controller-manager.crt" "$PKI/controller-manager.key" "$api_url"
  launch kube-controller-manager "$TOOLS_BIN/kube-controller-manager" \
    --kubeconfig "$RUN/controller-manager.kubeconfig" --controllers "$CONTROLLERS" \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false --secure-port 0 --v 1

  write_kubeconfig "$KUBECONFIG_FILE" "$PKI/admin.crt" "$PKI/admin.key" "$api_url"
  install_crds || die "installing the CRDs failed"
  alive kube-controller-manager || die "kube-controller-manager exited; see $LOGS/kube-controller-manager.log"
  trap - ERR
  starting=0
  log "ready in $((SECONDS - started))s at $api_url (logs in $LOGS)"
  print_env
}

# group_alive PGID: a live (non-zombie) process is left in the group.
group_alive() { ps -o stat= -g "$1" 2>/dev/null | grep -qv '^Z'; }

# stop_all [quiet]: clients before servers (controller-manager, API server, etcd); each process
# group gets TERM, then KILL after 15 s; then verify that nothing of it is left.
stop_all() {
  local i c pid left=()
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    c="${COMPONENTS[$i]}"
    pid="$(pid_of "$c" 2>/dev/null)" || continue
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do group_alive "$pid" || break; sleep 0.25; done
    if group_alive "$pid"; then
      kill -KILL -- "-$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do group_alive "$pid" || break; sleep 0.25; done
    fi
    if group_alive "$pid"; then left+=("$c($pid)"); else rm -f "$RUN/$c.pid"; fi
  done
  [ "${#left[@]}" -eq 0 ] || die "still running after stop: ${left[*]}"
  if [ -f "$RUN/data-dir" ]; then rm -rf "$(cat "$RUN/data-dir")"; rm -f "$RUN/data-dir"; fi
  rm -f "$RUN/apiserver.url" "$KUBECONFIG_FILE"
  [ "${1:-}" = quiet ] || log "stopped"
}

status() {
  local c ok=0
  for c in "${COMPONENTS[@]}"; do
    if alive "$c"; then echo "$c running (pid $(pid_of "$c"))"; else echo "$c stopped"; ok=1; fi
  done
  if api_ready; then echo "kube-apiserver ready at $(cat "$RUN/apiserver.url")"; else echo "kube-apiserver not ready"; ok=1; fi
  return "$ok"
}

case "${1:-}" in
  start) start ;;
  stop) stop_all ;;
  env) running || die "not running; start it with: bash scripts/control-plane.sh start"; print_env ;;
  status) status ;;
  *) die "usage: $0 start|stop|env|status" ;;
esac
