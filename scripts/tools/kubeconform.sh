#!/usr/bin/env bash
# kubeconform, built from its Go module.
source "$(dirname "$0")/lib.sh"
go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0
