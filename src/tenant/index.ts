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
export { loadPlatform, type LoadedPlatform } from './load-platform.ts';
export {
  loadClusters,
  parseClusterYaml,
  type ClusterRegistry,
  type NodePool,
  type ResolvedCluster,
} from './clusters.ts';
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
export { checkIngressHostCollisions, checkNamespaceCollisions } from './collisions.ts';
export { checkIngressHost, ingressClaimsOverlap, ingressHostAllowed, INGRESS_HOST_PATTERN } from './ingress-hosts.ts';
export { BLOCKED_RANGES, blockedRangeContaining, egressExcepts, METADATA_CIDR, parseCidr } from './cidr.ts';
export {
  parseQuantity,
  formatQuantity,
  normalizeQuantity,
  compareQuantities,
  compareQuantityText,
  type Quantity,
} from './quantity.ts';
export {
  TIER_POLICIES,
  QUOTA_KEYS,
  COUNT_QUOTA_KEYS,
  STORAGE_CLASSES,
  imageRegistries,
  platformResourceQuotas,
  storageClassQuotaKeys,
  type TierPolicy,
  type QuotaKey,
} from './tiers.ts';
export * from './names.ts';
export { RESERVED_NAMES } from './name-rules.ts';
export {
  clusterJsonSchema,
  renderClusterJsonSchemaFile,
  renderTenantJsonSchemaFile,
  tenantJsonSchema,
} from './json-schema.ts';
export { scaffoldTenantYaml } from './scaffold.ts';
