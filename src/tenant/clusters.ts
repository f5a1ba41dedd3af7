// The clusters registry: clusters/<name>.yaml read, checked and resolved. Every file is checked and
// every problem reported together (each with its file, field and fix); one bad file fails the load,
// so no capacity is judged against half a registry.
import type { FieldIssue } from '../shared/errors.ts';
import { CLUSTER_SCHEMA_FILE, CLUSTERS_DIR } from './names.ts';
import { MAX_CLUSTER_LABELS, clusterSchema, type ClusterDocument } from './cluster-schema.ts';
import { toFieldIssues, type DocumentSchema } from './issues.ts';
import { MAX_TENANT_FILE_BYTES } from './limits.ts';
import { normalizeQuantity } from './quantity.ts';
import { readReviewedDir } from './reviewed-dir.ts';
import { readYamlMapping, type YamlFileKind } from './yaml-file.ts';
import type { ClusterVault } from './platform.ts';

/** One node pool: `nodes` nodes, each with this allocatable (quantities in canonical form). */
export interface NodePool {
  name: string;
  nodes: number;
  cpu: string;
  memory: string;
  pods: number;
  /** Physical GPUs per node; 0 without. */
  gpus: number;
  /** Time-slice replicas per GPU (what a tenant's GPU slice is one of); 1 without GPUs. */
  gpuReplicas: number;
  dedicated: boolean;
}

export interface ResolvedCluster {
  name: string;
  argocdCluster: string;
  server?: string;
  labels: Record<string, string>;
  /** Where its tenants' secret stores read (clusters/<name>.yaml `vault`); absent: no tenant secrets. */
  vault?: ClusterVault;
  /** In file order. */
  nodePools: NodePool[];
}

/** The registry by cluster name, in name order. */
export type ClusterRegistry = ReadonlyMap<string, ResolvedCluster>;

export const CLUSTER_FILE: YamlFileKind = {
  noun: 'cluster',
  dir: CLUSTERS_DIR,
  fileNoun: 'cluster file',
  what: 'a cluster file',
  maxBytes: MAX_TENANT_FILE_BYTES,
  startFix: 'start from clusters/in-cluster.yaml (name, argocdCluster, nodePools)',
  topFields: 'name, argocdCluster and nodePools',
};

const CLUSTER_DOCUMENT: DocumentSchema = {
  schema: clusterSchema,
  schemaFile: `${CLUSTERS_DIR}/${CLUSTER_SCHEMA_FILE}`,
};

/** Every clusters/<name>.yaml of a platform repository, or the issues that refuse the registry. */
export function loadClusters(root: string): { registry: ClusterRegistry; issues: FieldIssue[] } {
  const { files, issues } = readReviewedDir(root, CLUSTER_FILE, [CLUSTER_SCHEMA_FILE]);
  const clusters: { file: string; cluster: ResolvedCluster }[] = [];
  for (const { file, name, text } of files) {
    const read = parseClusterYaml(text, { file, expectedName: name });
    issues.push(...read.issues);
    if (read.cluster) clusters.push({ file, cluster: read.cluster });
  }
  issues.push(...argocdNameCollisions(clusters));
  if (files.length === 0 && issues.length === 0) {
    issues.push({
      file: CLUSTERS_DIR,
      path: '(directory)',
      message: `${CLUSTERS_DIR}/ holds no cluster file, so no tenant has a cluster to run on`,
      fix: `add ${CLUSTERS_DIR}/in-cluster.yaml (argocdCluster: in-cluster) with the cluster's node pools`,
    });
  }
  return { registry: new Map(clusters.map(({ cluster }) => [cluster.name, cluster])), issues };
}

/**
 * The registry for a command that renders but does not judge the platform (render, impact), so its
 * files carry the registry's ArgoCD cluster names and Vaults as generate writes them; undefined
 * when the registry has problems, which are generate's and validate's to report.
 */
export function renderClusters(root: string): ClusterRegistry | undefined {
  const { registry, issues } = loadClusters(root);
  return issues.length === 0 ? registry : undefined;
}

/** One cluster file's text (the service reads it from the default branch). */
export function parseClusterYaml(
  text: string,
  opts: { file?: string; expectedName?: string },
): { cluster?: ResolvedCluster; issues: FieldIssue[] } {
  const read = readYamlMapping(text, { ...CLUSTER_FILE, file: opts.file });
  if (read.value === undefined) return { issues: read.issues };
  const parsed = clusterSchema.safeParse(read.value, { reportInput: true });
  if (!parsed.success) return { issues: toFieldIssues(parsed.error.issues, opts.file, CLUSTER_DOCUMENT) };
  const issues = clusterIssues(parsed.data, opts.expectedName).map((i) => ({
    ...(opts.file ? { file: opts.file } : {}),
    ...i,
  }));
  return issues.length > 0 ? { issues } : { cluster: resolveCluster(parsed.data), issues: [] };
}

function resolveCluster(doc: ClusterDocument): ResolvedCluster {
  return {
    name: doc.name,
    argocdCluster: doc.argocdCluster,
    ...(doc.server ? { server: doc.server } : {}),
    labels: Object.fromEntries(Object.entries(doc.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
    ...(doc.vault
      ? { vault: { server: doc.vault.server, authMount: doc.vault.authMount, kvMount: doc.vault.kvMount } }
      : {}),
    nodePools: doc.nodePools.map((p) => ({
      name: p.name,
      nodes: p.nodes,
      cpu: normalizeQuantity(p.cpu),
      memory: normalizeQuantity(p.memory),
      pods: p.pods,
      gpus: p.gpus ?? 0,
      gpuReplicas: p.gpuReplicas ?? 1,
      dedicated: p.dedicated,
    })),
  };
}

/** What the schema cannot see: the file name, duplicates, one dedicated pool, GPUs and replicas together. */
function clusterIssues(doc: ClusterDocument, expectedName: string | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const report = (path: string, message: string, fix: string) => issues.push({ path, message, fix });
  if (expectedName !== undefined && doc.name !== expectedName)
    report(
      'name',
      `"${doc.name}" does not match the file name "${expectedName}"`,
      `rename the file to ${CLUSTERS_DIR}/${doc.name}.yaml or set name to "${expectedName}"`,
    );
  if (Object.keys(doc.labels ?? {}).length > MAX_CLUSTER_LABELS)
    report('labels', `a cluster has at most ${MAX_CLUSTER_LABELS} labels`, 'keep the labels placement reads');
  const seen = new Map<string, number>();
  doc.nodePools.forEach((pool, i) => {
    const first = seen.get(pool.name);
    if (first !== undefined)
      report(
        `nodePools[${i}].name`,
        `node pool "${pool.name}" is listed twice (also nodePools[${first}])`,
        'rename one',
      );
    else seen.set(pool.name, i);
    const gpus = pool.gpus ?? 0;
    if (gpus > 0 && pool.gpuReplicas === undefined)
      report(
        `nodePools[${i}].gpuReplicas`,
        `node pool "${pool.name}" has GPUs but no gpuReplicas; a tenant's GPU slice is one time-slice replica`,
        'add gpuReplicas: the replicas of base/platform/nvidia-time-slicing-configmap.yaml (10)',
      );
    if (gpus === 0 && pool.gpuReplicas !== undefined)
      report(
        `nodePools[${i}].gpuReplicas`,
        `node pool "${pool.name}" has gpuReplicas but no gpus`,
        'add gpus or remove gpuReplicas',
      );
  });
  if (
    doc.vault &&
    new URL(doc.vault.server).protocol === 'http:' &&
    !LOOPBACK_HOSTS.has(new URL(doc.vault.server).hostname)
  )
    report(
      'vault.server',
      `${doc.vault.server} is plain http: the Vault tokens and every tenant secret would cross the network unencrypted`,
      "use Vault's https:// address (http is accepted for a Vault on loopback only, as a development server is)",
    );
  const dedicated = doc.nodePools.flatMap((pool, i) => (pool.dedicated ? [i] : []));
  if (dedicated.length > 1)
    report(
      `nodePools[${dedicated[1]}].dedicated`,
      `a cluster has at most one dedicated pool (nodePools[${dedicated.join('], nodePools[')}] are dedicated); ` +
        'a tenant\'s spec asks for "dedicated", not for a pool',
      'merge the dedicated pools into one, or set dedicated: false on the others',
    );
  return issues;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Two files naming the same ArgoCD cluster would count its capacity twice. */
function argocdNameCollisions(clusters: { file: string; cluster: ResolvedCluster }[]): FieldIssue[] {
  const first = new Map<string, string>();
  const issues: FieldIssue[] = [];
  for (const { file, cluster } of clusters) {
    const other = first.get(cluster.argocdCluster);
    if (other === undefined) first.set(cluster.argocdCluster, file);
    else
      issues.push({
        file,
        path: 'argocdCluster',
        message: `ArgoCD cluster "${cluster.argocdCluster}" is already registered by ${other}; a cluster has one file`,
        fix: `remove ${file} or point it at its own ArgoCD cluster`,
      });
  }
  return issues;
}
