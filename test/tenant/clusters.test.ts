import { readFile, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadClusters, parseClusterYaml, renderClusterJsonSchemaFile } from '../../src/tenant/index.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';
import { expectIssue, platformRootWith } from './support.ts';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function clusterDocument(name = 'eu-1', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    argocdCluster: name,
    labels: { region: 'eu' },
    nodePools: [
      { name: 'general', nodes: 3, cpu: '16', memory: '64Gi', pods: 110, dedicated: false },
      { name: 'dedicated', nodes: 2, cpu: '32', memory: '128Gi', pods: 110, gpus: 2, gpuReplicas: 10, dedicated: true },
    ],
    ...extra,
  };
}

const text = (doc: unknown) => `# yaml-language-server: $schema=./cluster.schema.json\n${stringify(doc)}`;

function issuesOf(doc: unknown, expectedName = 'eu-1') {
  return parseClusterYaml(text(doc), { file: `clusters/${expectedName}.yaml`, expectedName }).issues;
}

describe('clusters registry', () => {
  it('GIVEN a valid cluster file WHEN parsed THEN its pools come back with canonical quantities and defaults', () => {
    const doc = clusterDocument('eu-1');
    (doc.nodePools as Record<string, unknown>[])[0]!.memory = '65536Mi';
    const { cluster, issues } = parseClusterYaml(text(doc), { file: 'clusters/eu-1.yaml', expectedName: 'eu-1' });
    expect(issues).toEqual([]);
    expect(cluster?.nodePools[0]).toEqual({
      name: 'general',
      nodes: 3,
      cpu: '16',
      memory: '64Gi',
      pods: 110,
      gpus: 0,
      gpuReplicas: 1,
      dedicated: false,
    });
    expect(cluster?.labels).toEqual({ region: 'eu' });
  });

  it.each([
    {
      what: 'an unknown field',
      doc: clusterDocument('eu-1', { nodePool: [] }),
      want: { path: 'nodePool', message: /unknown field "nodePool"/, fix: /did you mean "nodePools"/ },
    },
    {
      what: 'a name unlike the file',
      doc: clusterDocument('eu-2'),
      want: { path: 'name', message: /does not match the file name "eu-1"/, fix: /rename the file/ },
    },
    {
      what: 'a cpu that is no quantity',
      doc: clusterDocument('eu-1', {
        nodePools: [{ name: 'general', nodes: 3, cpu: 'lots', memory: '64Gi', pods: 110, dedicated: false }],
      }),
      want: { path: 'nodePools[0].cpu', message: /not a Kubernetes quantity/, fix: /quantity/ },
    },
    {
      what: 'GPUs without replicas',
      doc: clusterDocument('eu-1', {
        nodePools: [{ name: 'gpu', nodes: 1, cpu: '16', memory: '64Gi', pods: 110, gpus: 1, dedicated: false }],
      }),
      want: { path: 'nodePools[0].gpuReplicas', message: /GPUs but no gpuReplicas/, fix: /nvidia-time-slicing/ },
    },
    {
      what: 'two dedicated pools',
      doc: clusterDocument('eu-1', {
        nodePools: [
          { name: 'a', nodes: 1, cpu: '16', memory: '64Gi', pods: 110, dedicated: true },
          { name: 'b', nodes: 1, cpu: '16', memory: '64Gi', pods: 110, dedicated: true },
        ],
      }),
      want: { path: 'nodePools[1].dedicated', message: /at most one dedicated pool/, fix: /merge the dedicated pools/ },
    },
    {
      what: 'a pool listed twice',
      doc: clusterDocument('eu-1', {
        nodePools: [
          { name: 'a', nodes: 1, cpu: '16', memory: '64Gi', pods: 110, dedicated: false },
          { name: 'a', nodes: 1, cpu: '16', memory: '64Gi', pods: 110, dedicated: false },
        ],
      }),
      want: { path: 'nodePools[1].name', message: /listed twice/, fix: /rename one/ },
    },
    {
      what: 'a missing dedicated flag',
      doc: clusterDocument('eu-1', {
        nodePools: [{ name: 'a', nodes: 1, cpu: '16', memory: '64Gi', pods: 110 }],
      }),
      want: { path: 'nodePools[0].dedicated', message: /is required|true or false/, fix: /dedicated/ },
    },
  ])('GIVEN $what WHEN parsed THEN the issue names the file, the field and the fix', ({ doc, want }) => {
    expectIssue(issuesOf(doc), { file: 'clusters/eu-1.yaml', ...want });
  });

  it('GIVEN two files naming one ArgoCD cluster WHEN loaded THEN the second is refused, naming the first', async () => {
    const root = await platformRootWith({
      'clusters/eu-1.yaml': text(clusterDocument('eu-1')),
      'clusters/eu-2.yaml': text(clusterDocument('eu-2', { argocdCluster: 'eu-1' })),
    });
    roots.push(root);
    const { issues } = loadClusters(root);
    expectIssue(issues, {
      file: 'clusters/eu-2.yaml',
      path: 'argocdCluster',
      message: /already registered by clusters\/eu-1\.yaml/,
      fix: /its own ArgoCD cluster/,
    });
  });

  it('GIVEN an empty or stray-filled clusters/ WHEN loaded THEN each problem is named', async () => {
    const root = await platformRootWith({ 'clusters/notes.txt': 'x', 'clusters/eu.yml': 'x' });
    roots.push(root);
    const { issues } = loadClusters(root);
    expectIssue(issues, { file: 'clusters/eu.yml', path: '(file)', message: /\.yaml extension/, fix: /eu\.yaml/ });
    expectIssue(issues, { file: 'clusters/notes.txt', path: '(file)', message: /unexpected file/, fix: /move it out/ });
    const empty = await platformRootWith({ 'clusters/.gitkeep': '' });
    roots.push(empty);
    expectIssue(loadClusters(empty).issues, {
      file: 'clusters',
      path: '(directory)',
      message: /no cluster file/,
      fix: /in-cluster\.yaml/,
    });
  });

  it('GIVEN this checkout WHEN loaded THEN its registry is valid and its JSON Schema is up to date', async () => {
    const { registry, issues } = loadClusters(REPO_ROOT);
    expect(issues).toEqual([]);
    expect([...registry.keys()]).toEqual(['in-cluster']);
    expect(registry.get('in-cluster')?.argocdCluster).toBe('in-cluster');
    expect(await readFile(`${REPO_ROOT}/clusters/cluster.schema.json`, 'utf8')).toBe(renderClusterJsonSchemaFile());
  });
});
