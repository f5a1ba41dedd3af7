// The tenant spec layer: everything else imports from here (or the ResolvedTenant contract from
// types.ts).
export * from './types.ts';
export { tenantSchema, API_VERSION, KIND, type TenantDocument } from './schema.ts';
export {
  parseTenantDocument,
  parseTenantValue,
  parseTenantYaml,
  type ParseOptions,
  type ParsedTenant,
} from './parse.ts';
export * from './limits.ts';
export { checkOwnerName } from './owner-names.ts';
export { tenantSpecFile } from './spec-file.ts';
export { loadTenants, type LoadedTenant, type LoadOptions } from './load.ts';
export {
  KUBERNETES_NAMESPACES,
  namespacesOfObjects,
  parsePlatformNamespacesFile,
  platformCollisions,
  platformNamespaceIssues,
  platformNamespaceSet,
  refusePlatformNamespaces,
  renderPlatformNamespacesFile,
  type PlatformNamespaces,
} from './platform-namespaces.ts';
export { checkNamespaceCollisions } from './collisions.ts';
export { metadataExcepts, METADATA_CIDR, parseCidr } from './cidr.ts';
export {
  parseQuantity,
  formatQuantity,
  normalizeQuantity,
  compareQuantities,
  compareQuantityText,
  type Quantity,
} from './quantity.ts';
export { TIER_POLICIES, QUOTA_KEYS, COUNT_QUOTA_KEYS, type TierPolicy, type QuotaKey } from './tiers.ts';
export * from './names.ts';
export { RESERVED_NAMES } from './name-rules.ts';
export { tenantJsonSchema, renderTenantJsonSchemaFile } from './json-schema.ts';
export { scaffoldTenantYaml } from './scaffold.ts';
