// Rendering kustomizations and server-side applying the result, the way ArgoCD syncs them
// (server-side apply, one field manager), plus deletion that waits for the objects to go.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AuthorizationV1Api,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
  type V1ResourceAttributes,
} from '@kubernetes/client-node';
import { kubeconfigFile, kubectl } from './kubectl.ts';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../../../src/shared/tools.ts';

const run = promisify(execFile);
export const FIELD_MANAGER = 'tenant-gitops-tests';

export type KubeObject = KubernetesObject & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

/** `kubectl kustomize DIR` with the pinned kubectl (toolPath), parsed. */
export async function renderKustomization(dir: string): Promise<KubeObject[]> {
  const { stdout } = await run(toolPath('kubectl'), ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 });
  return parseObjects(stdout);
}

/** Cluster-scoped kinds first (namespaces, CRD users need them), then the rest in order. */
function applyOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => (o.kind === 'Namespace' ? 0 : o.metadata.namespace ? 2 : 1);
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

const kubeconfigs = new WeakMap<KubeConfig, string>();
function kubeconfigFor(kc: KubeConfig): string {
  if (!kubeconfigs.has(kc)) kubeconfigs.set(kc, kubeconfigFile(kc));
  return kubeconfigs.get(kc)!;
}

/**
 * Server-side apply through kubectl, as an operator or ArgoCD sends it: the objects' JSON as is.
 * (client-node's typed serializer is not used here: it drops fields whose model name differs from
 * the JSON name, such as a LimitRange's `default`, and the API server then defaults them to `max`.)
 */
export async function serverSideApply(kc: KubeConfig, objects: KubeObject[]): Promise<void> {
  if (objects.length === 0) return;
  const stream = applyOrder(objects)
    .map((o) => JSON.stringify(o))
    .join('\n---\n');
  const result = kubectl(
    kubeconfigFor(kc),
    ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'],
    stream,
  );
  if (result.status !== 0) throw new Error(`tenant-gitops: server-side apply failed: ${result.stderr.trim()}`);
}

/** Deletes the objects (missing ones are fine) and waits until they are gone. */
export async function deleteObjects(kc: KubeConfig, objects: KubeObject[], timeoutMs = 120_000): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const reversed = applyOrder(objects).reverse();
  for (const object of reversed) {
    await client.delete(object, undefined, undefined, 0).catch((error: unknown) => {
      if (statusCodeOf(error) !== 404) throw error;
    });
  }
  const deadline = Date.now() + timeoutMs;
  for (const object of reversed) {
    for (;;) {
      const present = await client.read(object).then(
        () => true,
        (error: unknown) => {
          if (statusCodeOf(error) === 404) return false;
          throw error;
        },
      );
      if (!present) break;
      if (Date.now() > deadline)
        throw new Error(`tenant-gitops: ${object.kind} ${object.metadata.name} still exists after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The HTTP status of a client-node ApiException (or undefined). */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The API server's Status message of a refused request, for asserting on the reason. */
export function apiMessageOf(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return String((JSON.parse(body) as { message?: unknown }).message ?? body);
    } catch {
      return body;
    }
  }
  return (error as Error).message ?? String(error);
}

export interface Outcome {
  /** 200 for any success, else the refusal's HTTP status. */
  code: number;
  message: string;
}

/** A call's outcome: success, or the API server's refusal (any other error is rethrown). */
export async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return { code: 200, message: 'ok' };
  } catch (error) {
    const code = statusCodeOf(error);
    if (code === undefined) throw error;
    return { code, message: apiMessageOf(error) };
  }
}

/** SelfSubjectAccessReview: what the API server's authorizer says this identity may do. */
export async function canI(kc: KubeConfig, attributes: V1ResourceAttributes): Promise<boolean> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: attributes },
    },
  });
  return review.status?.allowed === true;
}
