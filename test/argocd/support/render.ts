// Real renders for the ArgoCD tests: `kubectl kustomize` of a folder, parsed with the yaml package.
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../../../src/shared/tools.ts';
import type { RenderedObject } from './project-permits.ts';

export type Manifest = RenderedObject & Record<string, unknown>;

export function kustomize(dir: string): Manifest[] {
  const text = execFileSync(toolPath('kubectl'), ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseManifests(text);
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

/** Kinds the API server keeps outside namespaces (the ones a platform repo can meet). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'CustomResourceDefinition',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'RuntimeClass',
  'Node',
]);

export function isNamespacedKind(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}
