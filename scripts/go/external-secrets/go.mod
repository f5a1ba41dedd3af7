// Builds the external-secrets controller (for the tenant secrets tests) outside its repository: the
// module is required at its release tag and its one replace directive is copied below. The CRDs
// come from the same version (scripts/tools/crds.sh).
module tenant-gitops.local/tools/external-secrets

go 1.24.2

require github.com/external-secrets/external-secrets v0.16.2

// Copied from github.com/external-secrets/external-secrets@v0.16.2/go.mod.
replace github.com/Masterminds/sprig/v3 => github.com/external-secrets/sprig/v3 v3.3.0
