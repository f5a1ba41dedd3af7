// GIVEN the example tenants rendered into a real repo WHEN their overlays are rendered in batches
// by real `kubectl kustomize` THEN each batch reaches the caller once, split per tenant, and a
// batch that kustomize refuses still renders its good overlays and names the bad one.
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAll } from '../../generator/render/index.ts';
import { kustomizeOverlays, type KustomizeOutcome } from '../../generator/validate/kustomize-batch.ts';
import { exampleTenants } from '../render/fixtures.ts';
import { makePlatformRepo, writeFiles } from '../write/platform-repo.ts';

const TENANTS = ['acme', 'globex', 'initech'];

let root: string;
let broken: string;
beforeAll(() => {
  root = makePlatformRepo();
  writeFiles(root, renderAll(exampleTenants));
  broken = makePlatformRepo();
  writeFiles(broken, renderAll(exampleTenants));
  appendFileSync(join(broken, 'overlays/globex/kustomization.yaml'), 'resources:\n  - does-not-exist\n');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(broken, { recursive: true, force: true });
});

describe('kustomizeOverlays', () => {
  it('hands every batch to onBatch once, each tenant in exactly one batch', async () => {
    const batches: KustomizeOutcome[] = [];
    const outcome = await kustomizeOverlays(root, TENANTS, { batchSize: 2, onBatch: (b) => void batches.push(b) });
    expect(batches).toHaveLength(2);
    expect(batches.flatMap((b) => [...b.objects.keys()]).sort()).toEqual(TENANTS);
    for (const batch of batches) {
      for (const [tenant, objects] of batch.objects) expect(outcome.objects.get(tenant)).toBe(objects);
    }
  });

  it('renders the good overlays of a refused batch and names the bad one with kustomize’s message', async () => {
    const single = await kustomizeOverlays(root, TENANTS, { batchSize: 1 });
    const outcome = await kustomizeOverlays(broken, TENANTS, { batchSize: 3 });
    expect([...outcome.failures.keys()]).toEqual(['globex']);
    expect(outcome.failures.get('globex')).toMatch(/does-not-exist/);
    expect([...outcome.objects.keys()].sort()).toEqual(['acme', 'initech']);
    for (const t of ['acme', 'initech']) {
      expect(outcome.objects.get(t)!.length).toBeGreaterThan(0);
      expect(outcome.objects.get(t)).toEqual(single.objects.get(t));
    }
  });

  it('reports the failure to onBatch too, so a streaming caller does not miss it', async () => {
    const failed: string[] = [];
    await kustomizeOverlays(broken, TENANTS, { batchSize: 2, onBatch: (b) => void failed.push(...b.failures.keys()) });
    expect(failed).toEqual(['globex']);
  });

  it('passes an error thrown by onBatch to the caller once every batch is through', async () => {
    let calls = 0;
    const run = kustomizeOverlays(root, TENANTS, {
      batchSize: 1,
      onBatch: () => {
        calls += 1;
        throw new Error('check failed');
      },
    });
    await expect(run).rejects.toThrow('check failed');
    expect(calls).toBe(3);
  });
});
