// The signed deletion record of an offboarding: what was deleted, the final backup and where it is,
// every verification check and its result, who asked, who approved and who merged, and when. The
// service signs it with Ed25519 (TENANT_GITOPS_DELETION_SIGNING_KEY_FILE) over its canonical JSON
// (keys sorted at every level, no spaces), so anyone holding the public key can check a record
// years later without the service: `tenantctl deletion-record verify`, or any Ed25519 library.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { FinalBackup } from './cluster/final-backup.ts';
import type { OffboardingCheck } from './cluster/verify-offboarding.ts';

export interface DeletionRecord {
  /** The record's format. */
  version: 1;
  tenant: string;
  /** The cluster (clusters/<name>.yaml) the tenant lived on. */
  cluster: string;
  namespaces: string[];
  requestedBy: string;
  requestedAt: string;
  /** The second token's name when two approvals are configured, else null. */
  approvedBy: string | null;
  pullRequest: { number: number | null; url: string | null; mergeCommit: string | null; mergedBy: string | null };
  /** When the tenant stopped serving, and what was stopped; null without a cluster. */
  suspension: { at: string; namespaces: string[]; stopped: string[] } | null;
  /** The final backup; null when the service takes none (TENANT_GITOPS_BACKUP_STORAGE_LOCATION unset). */
  backup: FinalBackup | null;
  /** Each deletion, one line: `Application argocd/tenant-acme`, `Namespace tenant-acme`, `delete-policy tenant-acme`. */
  deleted: string[];
  checks: OffboardingCheck[];
  startedAt: string;
  completedAt: string;
}

export interface DeletionSignature {
  algorithm: 'ed25519';
  /** sha256 of the public key (SubjectPublicKeyInfo, DER), hex: which key to verify with. */
  keyId: string;
  /** base64 of the signature over canonicalJson(record). */
  value: string;
}

export interface SignedDeletionRecord {
  record: DeletionRecord;
  /** null when the service has no signing key configured (the README's Offboarding section). */
  signature: DeletionSignature | null;
}

/** JSON with object keys sorted at every level and no whitespace: the bytes a signature covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** An Ed25519 private key from PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes it). */
export function readSigningKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(
      `tenant-gitops: the deletion signing key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519 ` +
        '(fix: openssl genpkey -algorithm ed25519 -out deletion-signing-key.pem)',
    );
  return key;
}

export function signDeletionRecord(record: DeletionRecord, privateKey: KeyObject | null): SignedDeletionRecord {
  if (!privateKey) return { record, signature: null };
  const value = sign(null, Buffer.from(canonicalJson(record)), privateKey).toString('base64');
  return { record, signature: { algorithm: 'ed25519', keyId: keyIdOf(createPublicKey(privateKey)), value } };
}

/** Why a record does not verify against `publicKey`, or null when it does. */
export function deletionRecordProblem(signed: SignedDeletionRecord, publicKey: KeyObject): string | null {
  if (!signed.signature) return 'the record is not signed';
  if (signed.signature.algorithm !== 'ed25519') return `unknown signature algorithm ${signed.signature.algorithm}`;
  if (signed.signature.keyId !== keyIdOf(publicKey))
    return `signed with key ${signed.signature.keyId}, not with this public key (${keyIdOf(publicKey)})`;
  const ok = verify(
    null,
    Buffer.from(canonicalJson(signed.record)),
    publicKey,
    Buffer.from(signed.signature.value, 'base64'),
  );
  return ok ? null : 'the signature does not match the record: it was changed after signing';
}
