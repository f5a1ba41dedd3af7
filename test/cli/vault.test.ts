// GIVEN a platform repository whose cluster has a Vault WHEN `tenantctl vault apply` is run wrongly
// THEN it exits 2 naming the flag or the stale file and sends nothing to Vault; WHEN Vault refuses
// THEN it exits 1 with Vault's words and the fix. (What it writes to a real Vault: the secrets e2e test.)
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editInClusterFile, makeRepoWithExampleTenants, tenantctl, tenantctlAsyncWithEnv } from './run-cli.ts';

let root: string;
let server: Server;
let address: string;
const requests: string[] = [];
let tokenFile: string;

beforeAll(async () => {
  root = makeRepoWithExampleTenants();
  editInClusterFile(root, {
    vault: { server: 'https://vault.vault.svc:8200', authMount: 'kubernetes', kvMount: 'secret' },
  });
  const generated = tenantctl(root, 'generate');
  expect(generated.code, generated.stderr).toBe(0);
  tokenFile = join(mkdtempSync(join(tmpdir(), 'tenant-gitops-vault-cli-')), 'token');
  writeFileSync(tokenFile, 'not-a-real-token\n');
  // A Vault that refuses everything, as one does to a token without the platform's policy.
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: ['permission denied'] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
  rmSync(join(tokenFile, '..'), { recursive: true, force: true });
});

const apply = (...args: string[]) =>
  tenantctlAsyncWithEnv(root, { VAULT_ADDR: '', VAULT_TOKEN: '' }, 'vault', 'apply', ...args);

describe('tenantctl vault apply', () => {
  it('GIVEN no address and no token WHEN run THEN exit 2 names both flags and Vault hears nothing', async () => {
    requests.length = 0;
    const result = await apply();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--addr: is required/);
    expect(result.stderr).toMatch(/--token-file: is required/);
    expect(requests).toEqual([]);
  });

  it('GIVEN a hand-edited vault.json WHEN run THEN exit 2 names it and Vault hears nothing', async () => {
    requests.length = 0;
    const file = join(root, 'overlays/globex/vault.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"tenant-globex"', '"tenant-acme"'));
    try {
      const result = await apply('--addr', address, '--token-file', tokenFile);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/stale or hand-edited \(overlays\/globex\/vault\.json\)/);
      expect(result.stderr).toMatch(/run tenantctl generate/);
      expect(requests).toEqual([]);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('GIVEN --purge-data without --prune WHEN run THEN exit 2 names it', async () => {
    const result = await apply('--addr', address, '--token-file', tokenFile, '--purge-data');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--purge-data: needs --prune/);
  });

  it("GIVEN a Vault that refuses the token WHEN run THEN exit 1 with Vault's words and the fix", async () => {
    requests.length = 0;
    const result = await apply('--addr', address, '--token-file', tokenFile);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Vault answered 403 to PUT \/v1\/sys\/policies\/acl\/tenant-acme: permission denied/);
    expect(result.stderr).toMatch(/fix: use a Vault token whose policy allows this path/);
    expect(requests).toEqual(['PUT /v1/sys/policies/acl/tenant-acme']);
  });
});
