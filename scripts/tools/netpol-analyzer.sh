#!/usr/bin/env bash
# cyclonus, a NetworkPolicy analyzer that computes pod-to-pod connectivity from policies alone (no
# CNI needed), built from its Go module. The network tests run it over the rendered overlays.
source "$(dirname "$0")/lib.sh"
go_install cyclonus github.com/mattfenwick/cyclonus/cmd/cyclonus@v0.5.6
