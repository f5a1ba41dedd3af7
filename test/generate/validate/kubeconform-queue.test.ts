// GIVEN files handed to the queue in several chunks, some while kubeconform is already running
// WHEN the queue finishes THEN every file was validated (problems from each chunk come back) and a
// kubeconform that cannot run is an error, not an empty list of problems.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeconformQueue } from '../../../src/generate/validate/kubeconform-queue.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconform-queue-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configMap(name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: tenant-acme}\ndata: {a: b}\n${extra}`,
  );
  return file;
}

describe('KubeconformQueue', () => {
  it('validates files added while a run is in flight, and reports problems from every run', async () => {
    const queue = new KubeconformQueue();
    queue.add([configMap('first-good'), configMap('first-bad', 'dataa: {}\n')]);
    // Added synchronously after the first run started: picked up by a later run.
    queue.add([configMap('second-good')]);
    queue.add([]);
    queue.add([configMap('third-bad', 'spec: {}\n')]);
    const problems = await queue.finish();
    expect(problems.map((p) => p.name).sort()).toEqual(['first-bad', 'third-bad']);
    expect(problems.find((p) => p.name === 'first-bad')!.message).toMatch(/dataa/);
  });

  it('finishes at once with no problems when nothing was added', async () => {
    await expect(new KubeconformQueue().finish()).resolves.toEqual([]);
  });

  it('rejects finish when kubeconform cannot run (no schemas)', async () => {
    const saved = process.env.TENANT_GITOPS_TOOLS;
    process.env.TENANT_GITOPS_TOOLS = dir;
    try {
      const queue = new KubeconformQueue();
      queue.add([configMap('unchecked')]);
      await expect(queue.finish()).rejects.toThrow(/no Kubernetes schemas/);
    } finally {
      if (saved === undefined) delete process.env.TENANT_GITOPS_TOOLS;
      else process.env.TENANT_GITOPS_TOOLS = saved;
    }
  });
});
