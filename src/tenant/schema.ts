// The tenant document, version 1: the zod schema is the single source of truth; the JSON Schema
// editors use is generated from it. Objects are strict at every level so a typo such as
// `requets.cpu` is an error instead of a silently dropped quota. Checks that need the tier or the
// whole document (ceilings, lengths of derived namespaces, duplicates) live in resolve.ts.
import { z } from 'zod';
import { parseCidr } from './cidr.ts';
import {
  MAX_EGRESS_ALLOWANCES,
  MAX_HOSTNAME_LENGTH,
  MAX_INGRESS_HOSTS,
  MAX_INGRESS_NAMESPACES,
  MAX_OWNER_NAME_LENGTH,
  MAX_OWNERS,
  MAX_PORTS_PER_ALLOWANCE,
} from './limits.ts';
import { checkIngressHost, INGRESS_HOST_PATTERN } from './ingress-hosts.ts';
import { checkDnsLabel, checkTenantName } from './name-rules.ts';
import { DNS_LABEL_PATTERN, MAX_NAMESPACE_LENGTH, NAMESPACE_PREFIX } from './names.ts';
import { checkOwnerName, OWNER_NAME_PATTERN } from './owner-names.ts';
import { isWholeNumber, parseQuantity, QUANTITY_EXAMPLES } from './quantity.ts';
import { COUNT_QUOTA_KEYS, QUOTA_KEYS, type QuotaKey } from './tiers.ts';
import { LIMIT_RESOURCES, OWNER_KINDS, TIERS, type LimitResource } from './types.ts';

export const API_VERSION = 'tenants.gitops.dev/v1';
export const KIND = 'Tenant';

export const GPU_SLICES_EXPLANATION =
  'GPUs are shared by NVIDIA time-slicing, which advertises each physical GPU as N replicas of nvidia.com/gpu; ' +
  'a tenant asks for whole slices (replicas), never a fraction or a percentage of a GPU';
export const GPU_SLICES_FIX =
  'write a whole number of slices, e.g. `slices: 1` ("10% of a GPU" is one slice of a GPU split into 10 replicas)';

export function quantityField(key: string, count: boolean) {
  return z
    .union([z.string(), z.number()], { error: `expected a Kubernetes quantity such as ${QUANTITY_EXAMPLES}` })
    .superRefine((value, ctx) => {
      const parsed = parseQuantity(value);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          message: parsed.reason,
          params: { fix: `write a Kubernetes quantity such as ${count ? '"10"' : QUANTITY_EXAMPLES}` },
        });
      } else if (count && !isWholeNumber(parsed.quantity)) {
        ctx.addIssue({
          code: 'custom',
          message: `${key} counts objects; "${value}" is not a whole number`,
          params: { fix: 'write a whole number such as "10"' },
        });
      }
    })
    .meta({
      description: count
        ? `ResourceQuota ${key}: a whole number of objects`
        : `ResourceQuota/LimitRange ${key}: a Kubernetes quantity`,
    });
}

export function nameField(what: string, check: typeof checkDnsLabel, maxLength: number, description: string) {
  return z
    .string({ error: `${what} must be a string` })
    .superRefine((value, ctx) => {
      const problem = check(value, what);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
    })
    .meta({ description, pattern: DNS_LABEL_PATTERN, maxLength });
}

const ownerName = z
  .string({ error: 'owner name must be a string' })
  .superRefine((value, ctx) => {
    const problem = checkOwnerName(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
  })
  .meta({
    description:
      'User or group: ASCII letters, digits and . _ -, or an e-mail address; prefix: parts and / between group path parts allowed; never system:',
    pattern: OWNER_NAME_PATTERN,
    maxLength: MAX_OWNER_NAME_LENGTH,
  });

const ingressHost = z
  .string({ error: 'an ingress host must be a string such as "shop.acme.example"' })
  .superRefine((value, ctx) => {
    const problem = checkIngressHost(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
  })
  .meta({
    description:
      'Exact DNS name (shop.acme.example) or a wildcard of one leading label over at least two (*.apps.acme.example); lower case',
    pattern: INGRESS_HOST_PATTERN,
    maxLength: MAX_HOSTNAME_LENGTH,
  });

const containerResources = z
  .strictObject(
    Object.fromEntries(
      LIMIT_RESOURCES.map((resource) => [resource, quantityField(resource, false).optional()]),
    ) as Record<LimitResource, z.ZodOptional<ReturnType<typeof quantityField>>>,
  )
  .meta({ description: 'Per-container cpu, ephemeral-storage and memory' });

const quotaShape = Object.fromEntries(
  QUOTA_KEYS.map((key) => [key, quantityField(key, COUNT_QUOTA_KEYS.includes(key)).optional()]),
) as Record<QuotaKey, z.ZodOptional<ReturnType<typeof quantityField>>>;

const egressAllowance = z.strictObject({
  cidr: z
    .string({ error: 'cidr must be a string such as "10.20.0.0/16"' })
    .superRefine((value, ctx) => {
      const parsed = parseCidr(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, params: { fix: parsed.fix } });
    })
    .meta({ description: 'IPv4 or IPv6 CIDR in canonical network form, e.g. 10.20.0.0/16' }),
  ports: z
    .array(
      z
        .number({ error: 'a port is a number' })
        .int({ error: 'a port is a whole number' })
        .min(1, { error: 'ports start at 1' })
        .max(65535, { error: 'ports end at 65535' }),
    )
    .max(MAX_PORTS_PER_ALLOWANCE, { error: `an egress allowance lists at most ${MAX_PORTS_PER_ALLOWANCE} ports` })
    .optional()
    .meta({ description: 'TCP ports; omit for every port' }),
});

export const tenantSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(KIND),
    metadata: z.strictObject({
      name: nameField(
        'tenant name',
        checkTenantName,
        MAX_NAMESPACE_LENGTH - NAMESPACE_PREFIX.length,
        'DNS-1123 label; must equal the file name',
      ),
    }),
    spec: z.strictObject({
      tier: z.enum(TIERS).meta({ description: 'free | business | enterprise: defaults and ceilings per tier' }),
      owners: z
        .array(z.strictObject({ kind: z.enum(OWNER_KINDS), name: ownerName }))
        .min(1, { error: 'a tenant needs at least one owner' })
        .max(MAX_OWNERS, { error: `a tenant has at most ${MAX_OWNERS} owners` })
        .meta({ description: 'Bound to the tenant-admin Role' }),
      quota: z
        .strictObject(quotaShape)
        .optional()
        .meta({ description: "ResourceQuota hard values; each within the tier's ceiling" }),
      limits: z
        .strictObject({
          default: containerResources.optional(),
          defaultRequest: containerResources.optional(),
          max: containerResources.optional(),
        })
        .optional()
        .meta({ description: 'Per-container LimitRange' }),
      gpu: z
        .strictObject({
          slices: z
            .number({ error: `gpu.slices must be a whole number: ${GPU_SLICES_EXPLANATION}` })
            .int({ error: `gpu.slices must be a whole number: ${GPU_SLICES_EXPLANATION}` })
            .min(0, { error: 'gpu.slices cannot be negative' }),
        })
        .optional()
        .meta({ description: 'Whole time-sliced GPU replicas (nvidia.com/gpu)' }),
      subNamespaces: z
        .array(
          z.strictObject({
            name: nameField(
              'sub-namespace name',
              checkDnsLabel,
              MAX_NAMESPACE_LENGTH,
              'Child namespace tenant-<name>-<sub>',
            ),
          }),
        )
        .optional()
        .meta({ description: "Children (HNC) sharing the parent's quota" }),
      network: z
        .strictObject({
          allowIngressFromNamespaces: z
            .array(nameField('namespace', checkDnsLabel, MAX_NAMESPACE_LENGTH, 'Namespace allowed to reach the tenant'))
            .max(MAX_INGRESS_NAMESPACES, { error: `at most ${MAX_INGRESS_NAMESPACES} namespaces may reach a tenant` })
            .optional(),
          allowEgressTo: z
            .array(egressAllowance)
            .max(MAX_EGRESS_ALLOWANCES, { error: `a tenant has at most ${MAX_EGRESS_ALLOWANCES} egress allowances` })
            .optional(),
        })
        .optional()
        .meta({ description: 'Allowances on top of default-deny' }),
      ingress: z
        .strictObject({
          hosts: z
            .array(ingressHost)
            .max(MAX_INGRESS_HOSTS, { error: `a tenant claims at most ${MAX_INGRESS_HOSTS} ingress hosts` })
            .optional()
            .meta({
              description: "Hostnames the tenant's Ingresses may serve; no two tenants may claim the same name",
            }),
        })
        .optional()
        .meta({ description: 'Ingress hosts granted to the tenant (admission policy tenant-ingress)' }),
      secrets: z
        .strictObject({
          enabled: z.boolean({ error: 'secrets.enabled must be true or false' }).meta({
            description: "true: a SecretStore tenant-secrets in each namespace reading the tenant's own Vault path",
          }),
        })
        .optional()
        .meta({
          description:
            'Per-tenant secrets from Vault through external-secrets; default: on for business and enterprise, off for free',
        }),
      cluster: nameField(
        'cluster',
        checkDnsLabel,
        MAX_NAMESPACE_LENGTH,
        "clusters/<name>.yaml the tenant runs on; default: its tier's cluster (in-cluster)",
      ).optional(),
      nodePool: z
        .enum(['shared', 'dedicated'])
        .optional()
        .meta({ description: "shared | dedicated (pins pods to the tenant's tainted nodes)" }),
    }),
  })
  .meta({ title: 'Tenant', description: 'A tenant of the tenant-gitops platform (tenants.gitops.dev/v1)' });

export type TenantDocument = z.infer<typeof tenantSchema>;
