#!/usr/bin/env bash
# The one shell library of scripts/: sourced by the tool installers (through scripts/tools/lib.sh),
# by setup.sh and by the daemon scripts (control-plane.sh, argocd.sh). It is the only place that
# knows where the Go-built tools live; src/shared/tools.ts is its TypeScript counterpart.
#
#   source scripts/lib.sh NAME   log lines read "tenant-gitops NAME: ..." on stderr
#
# NAME is required: a sourced file without arguments would see the caller's own arguments.
set -euo pipefail

LOG_PREFIX="tenant-gitops ${1:?usage: source scripts/lib.sh NAME}"
log() { printf '%s: %s\n' "$LOG_PREFIX" "$*" >&2; }

# Outside the clone, so every checkout and CI run on the machine reuses one set of builds.
: "${TENANT_GITOPS_TOOLS:=$HOME/.cache/tenant-gitops/tools}"
export TENANT_GITOPS_TOOLS
TOOLS_BIN="$TENANT_GITOPS_TOOLS/bin"

# The built kubectl, else whichever is on PATH.
kubectl_bin() { if [ -x "$TOOLS_BIN/kubectl" ]; then echo "$TOOLS_BIN/kubectl"; else command -v kubectl; fi; }

# A port the kernel just handed out and released; the small race with other processes is accepted
# (a bind failure shows in the process's log and its start fails loudly).
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Process bookkeeping of the daemon scripts, under the caller's $RUN (pid files) and $LOGS.
pid_of() { [ -f "$RUN/$1.pid" ] && cat "$RUN/$1.pid"; }
alive() { local pid; pid="$(pid_of "$1" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# launch NAME CMD...: own session (so a stop can kill the whole process group), log to $LOGS.
launch() {
  local name="$1"; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}
