#!/usr/bin/env bash
# Real ArgoCD against the control plane, out of cluster: redis-server, argocd-repo-server,
# argocd-application-controller and argocd-applicationset-controller (progressive syncs on), all on
# loopback with free ports, state and logs under $TENANT_GITOPS_ARGOCD_DIR (default .argocd/).
#
#   scripts/argocd.sh start   build if needed (scripts/tools/argocd.sh), create namespace argocd and
#                             the ConfigMaps/Secret ArgoCD reads, start the four processes; with
#                             TENANT_GITOPS_PLATFORM_REPO=<git dir> also apply argocd/ from its main
#                             branch (the bootstrap; from then on the platform Application syncs it).
#   scripts/argocd.sh stop    stop every process this script started (by pid), nothing else.
#   scripts/argocd.sh status  which processes run.
# ArgoCD runs at its production polling defaults (the Application controller compares every 120 s
# plus up to 60 s of jitter; the ApplicationSet's git generator re-reads git every 3 minutes), as a
# real installation does: provisioning speed comes from the onboarding service prompting ArgoCD, not
# from short polls. TENANT_GITOPS_ARGOCD_FAST=1 asks for the fast test setting instead (a 10 s
# comparison interval, no jitter, a 2 s self-heal timeout) for tests that change git behind the
# service's back and wait for ArgoCD to notice.
# Needs KUBECONFIG (scripts/control-plane.sh env) with ArgoCD's CRDs installed (control-plane.sh does).
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
# log, the tools directory ($TOOLS_BIN), pid_of, alive, launch, free_port, kubectl_bin.
source "$repo_root/scripts/lib.sh" argocd
DIR="${TENANT_GITOPS_ARGOCD_DIR:-$repo_root/.argocd}"
RUN="$DIR/run"
LOGS="$DIR/logs"
PROCESSES=(redis argocd-repo-server argocd-application-controller argocd-applicationset-controller)

die() { log "$*"; exit 1; }

k() { "$(kubectl_bin)" "$@"; }

wait_until() { # seconds what command...
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not happen within $seconds s (logs: $LOGS)"
    sleep 0.5
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

FAST="${TENANT_GITOPS_ARGOCD_FAST:-0}"
case "$FAST" in 0 | 1) ;; *) echo "TENANT_GITOPS_ARGOCD_FAST must be 0 or 1, got $FAST" >&2; exit 2 ;; esac

# The settings ArgoCD's controllers read at start: ArgoCD's defaults made explicit, plus, in the
# fast test setting, a short timeout.reconciliation so a commit on main is seen within seconds.
write_settings() {
  local reconciliation=""
  [ "$FAST" = 1 ] && reconciliation=$'\n  timeout.reconciliation: 10s\n  timeout.reconciliation.jitter: 0s'
  k create namespace argocd --dry-run=client -o yaml | k apply --server-side -f - >/dev/null
  local secretkey
  secretkey="$(head -c 32 /dev/urandom | base64 -w0)"
  k apply --server-side --force-conflicts -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}
data:
  application.resourceTrackingMethod: annotation${reconciliation}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-rbac-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}
data:
  policy.default: ""
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cmd-params-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}
data:
  applicationsetcontroller.enable.progressive.syncs: "true"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-tls-certs-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-ssh-known-hosts-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-gpg-keys-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}
EOF
  if ! k -n argocd get secret argocd-secret >/dev/null 2>&1; then
    k -n argocd create secret generic argocd-secret --from-literal=server.secretkey="$secretkey" >/dev/null
    k -n argocd label secret argocd-secret app.kubernetes.io/part-of=argocd >/dev/null
  fi
}

# argocd/ from the platform repository's main, as the bootstrap applies it. The repository is
# expected to name itself in argocd/repo-url.yaml (and in argocd/tenants/ through
# TENANT_GITOPS_REPO_URL at generate time); see README.
bootstrap_platform() {
  local repo="$1" tmp
  tmp="$(mktemp -d)"
  git -C "$repo" archive main argocd | tar -x -C "$tmp"
  k apply --server-side --force-conflicts -k "$tmp/argocd" >/dev/null
  rm -rf "$tmp"
  log "applied argocd/ from $repo (main)"
}

start() {
  [ -n "${KUBECONFIG:-}" ] || die "KUBECONFIG is not set (eval \"\$(bash scripts/control-plane.sh env)\")"
  # Running with the other polling setting counts as not running: it is restarted with this one.
  if alive argocd-application-controller && alive argocd-repo-server && alive argocd-applicationset-controller && alive redis \
    && [ "$(cat "$RUN/fast" 2>/dev/null)" = "$FAST" ]; then
    log "already running ($DIR)"
  else
    stop quiet
    bash "$repo_root/scripts/tools/argocd.sh"
    mkdir -p "$RUN" "$LOGS" "$DIR/tls" "$DIR/ssh" "$DIR/tmp"
    write_settings
    local redis_port repo_port
    redis_port="$(free_port)"; repo_port="$(free_port)"
    # Tools first on PATH: the repo-server runs the pinned `kustomize`, and git.
    export PATH="$TOOLS_BIN:$PATH"
    export ARGOCD_FAKE_IN_CLUSTER=true ARGOCD_GPG_ENABLED=false
    export ARGOCD_TLS_DATA_PATH="$DIR/tls" ARGOCD_SSH_DATA_PATH="$DIR/ssh" TMPDIR="$DIR/tmp"
    launch redis redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no
    wait_until 20 "redis listening on $redis_port" port_open "$redis_port"
    # Plain gRPC on loopback; no mTLS client CA either (its default path is a Pod's mounted Secret).
    launch argocd-repo-server "$TOOLS_BIN/argocd-repo-server" --port "$repo_port" --disable-tls --client-ca-path "" \
      --redis "127.0.0.1:$redis_port" --metrics-port "$(free_port)" --loglevel info
    wait_until 60 "argocd-repo-server listening on $repo_port" port_open "$repo_port"
    local polling=()
    [ "$FAST" = 1 ] && polling=(--app-resync 10 --app-resync-jitter 0 --self-heal-timeout-seconds 2)
    launch argocd-application-controller "$TOOLS_BIN/argocd-application-controller" --namespace argocd \
      --redis "127.0.0.1:$redis_port" --repo-server "127.0.0.1:$repo_port" --repo-server-plaintext \
      --metrics-port "$(free_port)" "${polling[@]}" --loglevel info
    launch argocd-applicationset-controller "$TOOLS_BIN/argocd-applicationset-controller" --namespace argocd \
      --argocd-repo-server "127.0.0.1:$repo_port" --repo-server-plaintext --enable-progressive-syncs \
      --metrics-addr "127.0.0.1:$(free_port)" --probe-addr "127.0.0.1:$(free_port)" \
      --webhook-addr "127.0.0.1:$(free_port)" --loglevel info
    sleep 2
    local p
    for p in "${PROCESSES[@]}"; do alive "$p" || { tail -20 "$LOGS/$p.log" >&2; die "$p exited at start (log: $LOGS/$p.log)"; }; done
    echo "$FAST" >"$RUN/fast"
    log "running: redis :$redis_port, repo-server :$repo_port, application and applicationset controllers, $([ "$FAST" = 1 ] && echo "fast test polling" || echo "ArgoCD's default polling") (logs: $LOGS)"
  fi
  if [ -n "${TENANT_GITOPS_PLATFORM_REPO:-}" ]; then bootstrap_platform "$TENANT_GITOPS_PLATFORM_REPO"; fi
}

stop() {
  local p pid
  for p in "${PROCESSES[@]}"; do
    pid="$(pid_of "$p" 2>/dev/null)" || continue
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$p.pid"
  done
  [ "${1:-}" = quiet ] || log "stopped"
}

status() {
  local p
  for p in "${PROCESSES[@]}"; do
    if alive "$p"; then echo "$p running (pid $(pid_of "$p"))"; else echo "$p stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
