// GET /v1/tenants page by page over a store filled directly (no GitHub round trip per tenant):
// name order, cursors, state filter, limits, and every answer checked against the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConformanceChecker } from './support/openapi-conformance.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { storedTenant } from './support/tenant-record.ts';

let h: Harness;
let conforms: ReturnType<typeof createConformanceChecker>;
const NAMES = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  h = await startHarness();
  conforms = createConformanceChecker((await h.api('GET', '/openapi.json')).body);
  const store = h.service!.service.store;
  // Inserted in reverse so the answer's order comes from the query, not from insertion.
  store.transaction(() => {
    for (const [i, name] of [...NAMES.entries()].reverse())
      store.tenants.insert(storedTenant(name, i % 3 === 0 ? 'merged' : 'pr_open'));
  });
});
afterAll(async () => {
  await h.stop();
});

async function list(path: string) {
  const response = await h.api('GET', path);
  expect(conforms('GET', '/v1/tenants', response.status, response.body)).toEqual([]);
  return response;
}

async function listAll(query: string): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const separator = query ? '&' : '';
    const page = await list(`/v1/tenants?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    names.push(...page.body.tenants.map((t: { name: string }) => t.name));
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { names, pages };
}

describe('GET /v1/tenants pagination', () => {
  it('GIVEN 25 tenants WHEN listed without a limit THEN one page of all of them by name, history left out, nextCursor null', async () => {
    const page = await list('/v1/tenants');
    expect(page.body.tenants.map((t: { name: string }) => t.name)).toEqual(NAMES);
    expect(page.body.tenants[0]).not.toHaveProperty('history');
    expect(page.body.nextCursor).toBeNull();
  });

  it('GIVEN 25 tenants WHEN followed 10 at a time THEN 3 pages hold each tenant once, in name order', async () => {
    expect(await listAll('limit=10')).toEqual({ names: NAMES, pages: 3 });
  });

  it('GIVEN a page size that divides the count WHEN followed THEN the last full page ends the listing', async () => {
    expect(await listAll('limit=5')).toEqual({ names: NAMES, pages: 5 });
  });

  it('GIVEN a state filter WHEN followed 4 at a time THEN only that state is listed, across pages', async () => {
    const merged = NAMES.filter((_, i) => i % 3 === 0);
    expect(await listAll('state=merged&limit=4')).toEqual({ names: merged, pages: 3 });
  });

  it('GIVEN a bad limit or a cursor the service did not make WHEN listed THEN 422 names the query field', async () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=ten', 'cursor=%3F%3F', 'cursor=QUJD', 'page=2']) {
      const response = await list(`/v1/tenants?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.issues[0].path, query).toMatch(/^query/);
    }
  });
});
