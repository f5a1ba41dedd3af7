// GIVEN a deletion record the service signed WHEN an auditor runs tenantctl deletion-record verify
// with the service's public key THEN it exits 0 naming the tenant and its checks; a record changed
// after signing, or checked with another key, exits 1 saying why; a missing key or a file holding
// no record exits 2 naming the flag or the file and the fix.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signDeletionRecord, type DeletionRecord } from '../../src/onboarding/deletion-record.ts';
import { tenantctl } from '../fixtures/tenant-repo.ts';

const dir = mkdtempSync(join(tmpdir(), 'deletion-record-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const write = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
const publicKey = write('service.pub', String(keys.publicKey.export({ type: 'spki', format: 'pem' })));
const otherKey = write('other.pub', String(other.publicKey.export({ type: 'spki', format: 'pem' })));

const record: DeletionRecord = {
  version: 1,
  tenant: 'acme',
  cluster: 'in-cluster',
  namespaces: ['tenant-acme'],
  requestedBy: 'backend',
  requestedAt: '2026-12-04T10:00:00.000Z',
  approvedBy: null,
  pullRequest: { number: 3, url: null, mergeCommit: 'b'.repeat(40), mergedBy: 'reviewer' },
  suspension: null,
  backup: null,
  deleted: ['Namespace tenant-acme (deleted)'],
  checks: [
    { name: 'namespaces-gone', passed: true, detail: 'tenant-acme: not found' },
    { name: 'no-tenant-objects', passed: true, detail: '61 resource types listed' },
  ],
  startedAt: '2026-12-04T10:01:00.000Z',
  completedAt: '2026-12-04T10:02:00.000Z',
};
const signed = signDeletionRecord(record, keys.privateKey);

describe('tenantctl deletion-record verify', () => {
  it('GIVEN the GET body of a deleted tenant WHEN verified with the service key THEN exit 0 naming tenant and checks', () => {
    const file = write('get.json', JSON.stringify({ name: 'acme', state: 'deleted', deletionRecord: signed }));
    const result = tenantctl(dir, ['deletion-record', 'verify', file, '--public-key', publicKey]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/deletion record of acme \(completed 2026-12-04T10:02:00.000Z\) is intact/);
    expect(result.stdout).toContain('checks: namespaces-gone passed, no-tenant-objects passed');
  });

  it('GIVEN a record changed after signing, or another key THEN exit 1 saying why', () => {
    const forged = structuredClone(signed);
    forged.record.deleted.push('Namespace tenant-acme-extra (deleted)');
    const file = write('forged.json', JSON.stringify(forged));
    const changed = tenantctl(dir, ['deletion-record', 'verify', file, '--public-key', publicKey]);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(
      /does not verify: the signature does not match the record: it was changed after signing/,
    );
    const good = write('signed.json', JSON.stringify(signed));
    const wrongKey = tenantctl(dir, ['deletion-record', 'verify', good, '--public-key', otherKey, '--json']);
    expect(wrongKey.status).toBe(1);
    expect(JSON.parse(wrongKey.stdout)).toMatchObject({
      ok: false,
      tenant: 'acme',
      problem: expect.stringMatching(/not with this public key/),
    });
  });

  it('GIVEN no public key, or a file with no record THEN exit 2 naming the flag or the file and the fix', () => {
    const good = write('signed2.json', JSON.stringify(signed));
    const noKey = tenantctl(dir, ['deletion-record', 'verify', good]);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/--public-key: is required/);
    const notRecord = write(
      'tenant.json',
      JSON.stringify({ name: 'acme', state: 'provisioned', deletionRecord: null }),
    );
    const none = tenantctl(dir, ['deletion-record', 'verify', notRecord, '--public-key', publicKey]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`${notRecord}: holds no deletion record`);
  });
});
