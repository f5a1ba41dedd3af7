// clusters/<name>.yaml, the clusters registry: one reviewed file per Kubernetes cluster tenants run
// on, with what its node pools can hold. The capacity gate (capacity.ts) compares what tenants are
// granted with it. Like the tenant schema, strict at every level; checks that need the whole file
// (its name, unique pools, one dedicated pool, GPUs with their replicas) live in clusters.ts.
import { z } from 'zod';
import { checkDnsLabel } from './name-rules.ts';
import { MAX_NAMESPACE_LENGTH } from './names.ts';
import { nameField, quantityField } from './schema.ts';

/** ArgoCD cluster names and label values: a DNS subdomain (lower case, digits, `-` and `.`). */
export const CLUSTER_NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
const LABEL_KEY_PATTERN = '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
const LABEL_VALUE_PATTERN = '^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$';
/** Kubernetes' longest label value and label name part. */
const MAX_LABEL_LENGTH = 63;
const MAX_SUBDOMAIN_LENGTH = 253;
/** More pools than this is a misunderstanding of what a pool is. */
export const MAX_NODE_POOLS = 50;
export const MAX_CLUSTER_LABELS = 50;

const wholeNumber = (what: string, min: number) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` });

const patterned = (what: string, pattern: string, maxLength: number, description: string) =>
  z
    .string({ error: `${what} must be a string` })
    .max(maxLength, { error: `${what} has at most ${maxLength} characters` })
    .regex(new RegExp(pattern), { error: `${what} must match ${pattern}` })
    .meta({ description });

const nodePoolSchema = z.strictObject({
  name: nameField('node pool name', checkDnsLabel, MAX_NAMESPACE_LENGTH, 'DNS-1123 label, unique in the cluster'),
  nodes: wholeNumber('nodes', 0).meta({ description: 'How many nodes the pool has' }),
  cpu: quantityField('cpu', false).meta({ description: 'Allocatable cpu of one node (a Kubernetes quantity)' }),
  memory: quantityField('memory', false).meta({
    description: 'Allocatable memory of one node (a Kubernetes quantity)',
  }),
  pods: wholeNumber('pods', 1).meta({ description: 'Allocatable pods of one node (the kubelet maxPods)' }),
  gpus: wholeNumber('gpus', 0)
    .optional()
    .meta({ description: 'Physical NVIDIA GPUs of one node (default 0); needs gpuReplicas' }),
  gpuReplicas: wholeNumber('gpuReplicas', 1).optional().meta({
    description:
      'Time-slice replicas per GPU: the replicas of base/platform/nvidia-time-slicing-configmap.yaml on these nodes',
  }),
  dedicated: z.boolean({ error: 'dedicated must be true or false' }).meta({
    description:
      'true: whole nodes handed to enterprise tenants with nodePool: dedicated; false: shared by every other tenant',
  }),
});

/** A Vault mount path: segments of letters, digits, `-` and `_`, separated by `/`. */
const VAULT_MOUNT_PATTERN = '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$';
const MAX_VAULT_MOUNT_LENGTH = 128;

const vaultSchema = z.strictObject({
  server: z.url({ protocol: /^https?$/, error: 'vault.server must be an https:// URL' }).meta({
    description: "Vault's address as the external-secrets controller reaches it, e.g. https://vault.vault.svc:8200",
  }),
  authMount: patterned(
    'vault.authMount',
    VAULT_MOUNT_PATTERN,
    MAX_VAULT_MOUNT_LENGTH,
    "The Kubernetes auth mount that verifies this cluster's ServiceAccount tokens (one per cluster), e.g. kubernetes",
  ),
  kvMount: patterned(
    'vault.kvMount',
    VAULT_MOUNT_PATTERN,
    MAX_VAULT_MOUNT_LENGTH,
    'The KV version 2 mount holding tenant secrets; tenant <name> reads only <kvMount>/tenants/<name>/',
  ),
});

export const clusterSchema = z
  .strictObject({
    name: nameField('cluster name', checkDnsLabel, MAX_NAMESPACE_LENGTH, 'DNS-1123 label; must equal the file name'),
    argocdCluster: patterned(
      'argocdCluster',
      CLUSTER_NAME_PATTERN,
      MAX_SUBDOMAIN_LENGTH,
      "ArgoCD's name for the cluster (an Application's destination.name); in-cluster for the one ArgoCD runs in",
    ),
    server: z
      .url({ protocol: /^https$/, error: 'server must be an https:// URL' })
      .optional()
      .meta({ description: "The cluster's API server URL, as ArgoCD knows it (informational)" }),
    labels: z
      .record(
        patterned('a label key', LABEL_KEY_PATTERN, MAX_SUBDOMAIN_LENGTH, 'Label key, e.g. region or pool'),
        patterned('a label value', LABEL_VALUE_PATTERN, MAX_LABEL_LENGTH, 'Label value'),
      )
      .optional()
      .meta({ description: 'Labels such as region and pool, for placement' }),
    vault: vaultSchema.optional().meta({
      description:
        "The Vault the cluster's tenants read their secrets from (spec.secrets): each tenant namespace gets a SecretStore tenant-secrets for it",
    }),
    nodePools: z
      .array(nodePoolSchema)
      .min(1, { error: 'a cluster has at least one node pool' })
      .max(MAX_NODE_POOLS, { error: `a cluster has at most ${MAX_NODE_POOLS} node pools` })
      .meta({ description: 'Node pools: what one node of each can hold, and how many nodes' }),
  })
  .meta({ title: 'Cluster', description: 'A cluster of the tenant-gitops clusters registry (clusters/<name>.yaml)' });

export type ClusterDocument = z.infer<typeof clusterSchema>;
export type NodePoolDocument = z.infer<typeof nodePoolSchema>;
