#!/usr/bin/env bash
# promtool, built from the Prometheus Go module (v0.316.0 is Prometheus 3.16; its go.mod asks for
# go 1.26.7, so the local toolchain builds it): the unit tests check the tenant quota rules of
# base/platform/monitoring and run their `promtool test rules` cases with it.
source "$(dirname "$0")/lib.sh"
go_install promtool github.com/prometheus/prometheus/cmd/promtool@v0.316.0
