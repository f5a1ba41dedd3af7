// GIVEN a deletion record signed with an Ed25519 key WHEN anyone checks it with the public key THEN
// it verifies; any change to any field, a record signed by another key, an unsigned record and a key
// that is not Ed25519 are each refused with a reason. The signed bytes are the canonical JSON, so
// the order keys were written in (a database round trip, another language) never matters.
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  deletionRecordProblem,
  readSigningKey,
  signDeletionRecord,
  type DeletionRecord,
} from '../../src/onboarding/deletion-record.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

const RECORD: DeletionRecord = {
  version: 1,
  tenant: 'acme',
  cluster: 'in-cluster',
  namespaces: ['tenant-acme', 'tenant-acme-staging'],
  requestedBy: 'backend',
  requestedAt: '2026-12-04T10:00:00.000Z',
  approvedBy: 'security',
  pullRequest: {
    number: 7,
    url: 'http://github.local/platform/tenants/pull/7',
    mergeCommit: 'a'.repeat(40),
    mergedBy: 'reviewer',
  },
  suspension: {
    at: '2026-12-04T10:01:00.000Z',
    namespaces: ['tenant-acme'],
    stopped: ['Deployment tenant-acme/web (3 → 0)'],
  },
  backup: {
    name: 'tenant-acme-offboard-pr-7',
    namespace: 'velero',
    storageLocation: 'default',
    location: 'aws backups/tenants/backups/tenant-acme-offboard-pr-7',
    phase: 'Completed',
    includedNamespaces: ['tenant-acme', 'tenant-acme-staging'],
    expiration: '2027-01-03T10:01:00Z',
    startTimestamp: '2026-12-04T10:01:01Z',
    completionTimestamp: '2026-12-04T10:02:00Z',
    itemsBackedUp: 42,
  },
  deleted: ['Application argocd/tenant-acme (deleted)', 'Namespace tenant-acme (deleted)'],
  checks: [{ name: 'namespaces-gone', passed: true, detail: 'tenant-acme: not found' }],
  startedAt: '2026-12-04T10:01:00.000Z',
  completedAt: '2026-12-04T10:03:00.000Z',
};

describe('deletion records', () => {
  it('GIVEN a signed record WHEN checked with the public key THEN it verifies, also after a JSON round trip', () => {
    const signed = signDeletionRecord(RECORD, privateKey);
    expect(signed.signature?.algorithm).toBe('ed25519');
    expect(deletionRecordProblem(signed, publicKey)).toBeNull();
    expect(deletionRecordProblem(JSON.parse(JSON.stringify(signed)), publicKey)).toBeNull();
  });

  it('GIVEN a signed record WHEN any one string of it is changed THEN the signature no longer matches', () => {
    const signed = signDeletionRecord(RECORD, privateKey);
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (typeof value === 'string') paths.push(path);
      else if (value && typeof value === 'object')
        for (const [key, child] of Object.entries(value))
          walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
    };
    walk(RECORD, []);
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) {
      const forged = structuredClone(signed);
      let target: any = forged.record;
      for (const key of path.slice(0, -1)) target = target[key];
      target[path.at(-1)!] = `${target[path.at(-1)!]}x`;
      expect(deletionRecordProblem(forged, publicKey), path.join('.')).toMatch(/changed after signing/);
    }
    const flipped = structuredClone(signed);
    flipped.record.checks[0]!.passed = false;
    expect(deletionRecordProblem(flipped, publicKey)).toMatch(/changed after signing/);
  });

  it('GIVEN another key, no signature or an unknown algorithm THEN each is refused with its reason', () => {
    const signed = signDeletionRecord(RECORD, privateKey);
    expect(deletionRecordProblem(signed, other.publicKey)).toMatch(/not with this public key/);
    expect(deletionRecordProblem(signDeletionRecord(RECORD, null), publicKey)).toBe('the record is not signed');
    expect(
      deletionRecordProblem(
        { ...signed, signature: { ...signed.signature!, algorithm: 'rsa' as 'ed25519' } },
        publicKey,
      ),
    ).toMatch(/unknown signature algorithm rsa/);
  });

  it('canonical JSON does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });

  it('GIVEN an RSA key WHEN read as the signing key THEN it is refused naming the fix', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => readSigningKey(String(rsa))).toThrow(/is rsa, not Ed25519 \(fix: openssl genpkey -algorithm ed25519/);
  });
});
