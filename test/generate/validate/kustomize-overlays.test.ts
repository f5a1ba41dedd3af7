// GIVEN the example tenants rendered into a real repo WHEN their overlays are rendered by
// render-overlays (the kustomize library, one long-lived process per core) THEN each overlay renders
// exactly what `kubectl kustomize` renders for it, each batch reaches the caller once, and an overlay
// that kustomize refuses is named with kustomize's message while the others still render.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAll } from '../../../src/generate/render/index.ts';
import { toolPath } from '../../../src/shared/tools.ts';
import {
  kustomizeOverlays,
  parseManifests,
  RENDER_OVERLAYS_TOOL,
  type KustomizeOutcome,
} from '../../../src/generate/validate/kustomize-overlays.ts';
import { runProcess } from '../../../src/generate/validate/run-process.ts';
import { exampleTenants } from '../render/fixtures.ts';
import { makePlatformRepo, writeFiles } from '../../fixtures/platform-repo.ts';

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
  it('renders each overlay as `kubectl kustomize` does, object for object', async () => {
    const outcome = await kustomizeOverlays(root, TENANTS);
    expect(outcome.failures.size).toBe(0);
    for (const tenant of TENANTS) {
      const kubectl = await runProcess(toolPath('kubectl'), ['kustomize', join(root, 'overlays', tenant)]);
      expect(kubectl.code).toBe(0);
      expect(outcome.objects.get(tenant)).toEqual(parseManifests(kubectl.stdout));
    }
  });

  it('spreads the overlays over several processes and still answers each one once', async () => {
    const one = await kustomizeOverlays(root, TENANTS, { concurrency: 1, batchSize: 1 });
    const three = await kustomizeOverlays(root, TENANTS, { concurrency: 3, batchSize: 1 });
    expect([...three.objects.keys()].sort()).toEqual(TENANTS);
    for (const t of TENANTS) expect(three.objects.get(t)).toEqual(one.objects.get(t));
  });

  it('names an overlay that does not exist with kustomize’s message and renders the rest', async () => {
    const outcome = await kustomizeOverlays(root, [...TENANTS, 'nobody'], { concurrency: 1 });
    expect([...outcome.objects.keys()].sort()).toEqual(TENANTS);
    expect(outcome.failures.get('nobody')).toMatch(/nobody/);
  });

  it('fails the overlays a crashed process never answered, with its exit code and message', async () => {
    // A stand-in that answers the first overlay, then dies the way a crashing binary would.
    const tools = mkdtempSync(join(tmpdir(), 'render-overlays-crash-'));
    mkdirSync(join(tools, 'bin'));
    const script = join(tools, 'bin', RENDER_OVERLAYS_TOOL);
    writeFileSync(
      script,
      '#!/bin/sh\nread dir\nprintf \'{"dir":"%s","objects":[]}\\n\' "$dir"\necho "out of memory" >&2\nexit 3\n',
      { mode: 0o755 },
    );
    const saved = process.env.TENANT_GITOPS_TOOLS;
    process.env.TENANT_GITOPS_TOOLS = tools;
    try {
      const outcome = await kustomizeOverlays(root, TENANTS, { concurrency: 1, batchSize: 2 });
      expect([...outcome.objects.keys()]).toEqual(['acme']);
      expect([...outcome.failures.keys()].sort()).toEqual(['globex', 'initech']);
      expect(outcome.failures.get('initech')).toBe(
        `${RENDER_OVERLAYS_TOOL} exited 3 before rendering it: out of memory`,
      );
    } finally {
      if (saved === undefined) delete process.env.TENANT_GITOPS_TOOLS;
      else process.env.TENANT_GITOPS_TOOLS = saved;
      rmSync(tools, { recursive: true, force: true });
    }
  });

  it('hands every batch to onBatch once, each tenant in exactly one batch', async () => {
    const batches: KustomizeOutcome[] = [];
    const outcome = await kustomizeOverlays(root, TENANTS, { batchSize: 2, onBatch: (b) => void batches.push(b) });
    expect(batches).toHaveLength(2);
    expect(batches.flatMap((b) => [...b.objects.keys()]).sort()).toEqual(TENANTS);
    for (const batch of batches) {
      for (const [tenant, objects] of batch.objects) expect(outcome.objects.get(tenant)).toBe(objects);
    }
  });

  it('renders the good overlays of a batch with a refused one and names the bad one with kustomize’s message', async () => {
    const single = await kustomizeOverlays(root, TENANTS, { batchSize: 1 });
    const outcome = await kustomizeOverlays(broken, TENANTS, { batchSize: 3, concurrency: 1 });
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
