#!/usr/bin/env bash
# Vault, built from the github.com/hashicorp/vault Go module (v1.21.0) through scripts/go/vault:
# the tenant secrets tests run `vault server -dev` on loopback, with Kubernetes auth against the
# test control plane.
source "$(dirname "$0")/lib.sh"
go_build_wrapped vault github.com/hashicorp/vault
