// Builds Vault's server (`vault server -dev` for the tenant secrets tests) outside the Vault
// repository: the vault module is required at its release tag. Its replace directives into its own
// tree (./api, ./sdk, ./api/auth/*) cannot apply outside it, so the api and sdk modules come from
// the proxy at the versions its go.mod names: v1.21.0 is the 1.21 release whose tree matches a
// published sdk (v0.20.0; the 1.21 patch releases build against an unpublished one). The sdk is
// pinned there, as its in-tree replace pinned it, because the plugins it links would otherwise
// select a newer sdk whose framework API differs. The other two replaces are copied below.
module tenant-gitops.local/tools/vault

go 1.25.3

require github.com/hashicorp/vault v1.21.0

replace github.com/hashicorp/vault/sdk => github.com/hashicorp/vault/sdk v0.20.0

// Copied from github.com/hashicorp/vault@v1.21.0/go.mod.
replace github.com/99designs/keyring => github.com/Jeffail/keyring v1.2.3

replace github.com/ma314smith/signedxml v1.1.1 => github.com/moov-io/signedxml v1.1.1
