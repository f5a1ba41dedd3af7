#!/usr/bin/env bash
# actionlint, built from its Go module: the review test lints .github/workflows with it (it also
# runs shellcheck over `run:` scripts when a shellcheck is on PATH).
source "$(dirname "$0")/lib.sh"
go_install actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
