#!/usr/bin/env bash
# The external-secrets controller, built from the github.com/external-secrets/external-secrets Go
# module (v0.16.2) through scripts/go/external-secrets: the tenant secrets tests run it against the
# test control plane and Vault. Its CRDs come from the same module (crds.sh).
source "$(dirname "$0")/lib.sh"
go_build_wrapped external-secrets github.com/external-secrets/external-secrets
