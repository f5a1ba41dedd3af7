// Every size limit of a tenant spec, in one place: the file reader and the schema take them from
// here, so every path into the platform applies the same ones, and a test renders the largest
// spec they allow to prove that every object it becomes stays far below what etcd stores.

/** A tenant spec is a page of YAML; anything bigger is a mistake or an attack. */
export const MAX_TENANT_FILE_BYTES = 64 * 1024;
/** Anchors are rare in a tenant file; a handful is plenty, an alias bomb needs thousands. */
export const MAX_ALIAS_COUNT = 16;
/** Owners are bound one by one in every namespace's RoleBinding: more than a handful belong in a group. */
export const MAX_OWNERS = 50;
/** Kubernetes' longest object name (a DNS subdomain); an e-mail address has at most one more. */
export const MAX_OWNER_NAME_LENGTH = 253;
/** Namespaces a tenant may accept traffic from; each is one entry of its ingress NetworkPolicy. */
export const MAX_INGRESS_NAMESPACES = 50;
/** CIDRs a tenant may reach; each is one rule of its egress NetworkPolicy. */
export const MAX_EGRESS_ALLOWANCES = 50;
/** Ports of one egress allowance; a longer list means "every port" (omit `ports`). */
export const MAX_PORTS_PER_ALLOWANCE = 20;
/** Ingress hostnames a tenant may claim; each is reviewed, and each is one item of its namespaces' annotation. */
export const MAX_INGRESS_HOSTS = 50;
/** A DNS name's length (RFC 1123). */
export const MAX_HOSTNAME_LENGTH = 253;
/** Problems reported for one spec: thousands of bad list entries get a short answer, not a megabyte. */
export const MAX_REPORTED_ISSUES = 50;
