// `tenantctl deletion-record verify FILE --public-key PEM`: checks a deletion record the service
// signed (the body of GET /v1/tenants/{name} of a deleted tenant, its tenant.deleted callback, or
// the record alone) against the service's Ed25519 public key, without the service. Exit 0 the
// record is intact and signed by that key, 1 it is not (why is printed), 2 bad input.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { deletionRecordProblem, type SignedDeletionRecord } from '../onboarding/deletion-record.ts';
import { EXIT_FAILED, EXIT_OK, parseCommand, printJson, reportError } from './options.ts';

const USAGE = 'usage: tenantctl deletion-record verify FILE --public-key PEM [--json]';

export async function deletionRecordCommand(argv: string[]): Promise<number> {
  const { values, positionals, common, help } = parseCommand(argv, { 'public-key': { type: 'string' } }, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    const issues: FieldIssue[] = [];
    if (positionals[0] !== 'verify' || positionals.length !== 2)
      issues.push({
        path: '(command)',
        message: `expected "verify FILE", got ${positionals.join(' ') || 'nothing'}`,
        fix: USAGE,
      });
    const publicKey = readPublicKey(values['public-key'], issues);
    const signed = positionals.length === 2 ? readRecord(positionals[1]!, issues) : undefined;
    if (issues.length > 0 || !publicKey || !signed) throw new InputError(issues);
    const problem = deletionRecordProblem(signed, publicKey);
    const { record } = signed;
    if (common.json)
      printJson({ ok: problem === null, problem, tenant: record.tenant, completedAt: record.completedAt });
    else if (problem)
      process.stderr.write(`tenant-gitops: the deletion record of ${record.tenant} does not verify: ${problem}\n`);
    else
      process.stdout.write(
        `tenant-gitops: the deletion record of ${record.tenant} (completed ${record.completedAt}) is intact and signed by key ` +
          `${signed.signature!.keyId.slice(0, 16)}…; checks: ${record.checks.map((c) => `${c.name} ${c.passed ? 'passed' : 'FAILED'}`).join(', ')}\n`,
      );
    return problem === null ? EXIT_OK : EXIT_FAILED;
  } catch (error) {
    return reportError(error, common.json);
  }
}

function readPublicKey(file: unknown, issues: FieldIssue[]): KeyObject | undefined {
  const fix =
    "pass the service's public key: openssl pkey -in deletion-signing-key.pem -pubout -out deletion-signing-key.pub";
  if (typeof file !== 'string') {
    issues.push({ path: '--public-key', message: 'is required', fix });
    return undefined;
  }
  try {
    const key = createPublicKey(readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType === 'ed25519') return key;
    issues.push({ path: '--public-key', message: `${file} is a ${key.asymmetricKeyType} key, not Ed25519`, fix });
  } catch (error) {
    issues.push({
      path: '--public-key',
      message: `cannot read a public key from ${file}: ${(error as Error).message}`,
      fix,
    });
  }
  return undefined;
}

function readRecord(file: string, issues: FieldIssue[]): SignedDeletionRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (error) {
    issues.push({
      path: file,
      message: `cannot read JSON: ${(error as Error).message}`,
      fix: 'pass the JSON the service returned',
    });
    return undefined;
  }
  const candidate = (parsed as { deletionRecord?: unknown } | null)?.deletionRecord ?? parsed;
  const record = (candidate as { record?: { tenant?: unknown; checks?: unknown } } | null)?.record;
  if (!record || typeof record.tenant !== 'string' || !Array.isArray(record.checks)) {
    issues.push({
      path: file,
      message:
        'holds no deletion record (no "record" with a tenant and its checks, nor a "deletionRecord" holding one)',
      fix: 'pass the body of GET /v1/tenants/{name} of a deleted tenant, its tenant.deleted callback, or the record',
    });
    return undefined;
  }
  return candidate as SignedDeletionRecord;
}
