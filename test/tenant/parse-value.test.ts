// parseTenantValue: the service's decoded bodies get every check a tenant file gets, because they
// are checked as the file they would be committed as; and no body, however odd, costs more than a
// short refusal.
import { describe, expect, it } from 'vitest';
import {
  MAX_REPORTED_ISSUES,
  MAX_TENANT_FILE_BYTES,
  parseTenantValue,
  parseTenantYaml,
  tenantSpecFile,
} from '../../src/tenant/index.ts';
import { inputIssues, validDocument } from './support.ts';

/** The service's issues carry no file: there is none yet. */
const issueAt = (issues: { path: string; file?: string }[], path: string) => {
  const issue = issues.find((i) => i.path === path);
  expect(issue, JSON.stringify(issues)).toBeDefined();
  expect(issue!.file).toBeUndefined();
  return issue;
};

describe('a tenant value, checked as the file it becomes', () => {
  it('GIVEN a valid value THEN it resolves exactly as its spec file does, and the file reads back to the same document', () => {
    const value = validDocument('acme', { quota: { 'requests.cpu': '2000m' }, subNamespaces: [{ name: 'dev' }] });
    const parsed = parseTenantValue(value, { expectedName: 'acme' });
    const file = tenantSpecFile(parsed.document);
    expect(parseTenantYaml(file, 'tenants/acme.yaml')).toEqual(parsed);
    expect(tenantSpecFile(parseTenantYaml(file, 'tenants/acme.yaml').document)).toBe(file);
  });

  it('GIVEN a value whose every field is valid but whose file would be over the byte limit THEN the size is refused', () => {
    const value = validDocument('acme', { quota: { pods: `${'0'.repeat(MAX_TENANT_FILE_BYTES)}1` } });
    const issues = inputIssues(() => parseTenantValue(value));
    expect(issues).toHaveLength(1);
    expect(issueAt(issues, '(document)')).toMatchObject({
      message: expect.stringMatching(
        new RegExp(`the spec file is \\d+ bytes; a tenant spec may be at most ${MAX_TENANT_FILE_BYTES} bytes`),
      ),
      fix: expect.stringMatching(/remove whatever made it this large/),
    });
  });

  it('GIVEN a field nested 200,000 lists deep THEN the field is refused, with no stack overflow', () => {
    const depth = 200_000;
    const value = JSON.parse(
      JSON.stringify(validDocument('acme')).replace('"enterprise"', `${'['.repeat(depth)}${']'.repeat(depth)}`),
    );
    const issues = inputIssues(() => parseTenantValue(value));
    expect(issueAt(issues, 'spec.tier')).toMatchObject({
      message: expect.stringMatching(/a list is not allowed here/),
      fix: expect.stringMatching(/"free"/),
    });
  });

  it('GIVEN a value with 100,000 unknown fields THEN the answer lists a bounded number of problems', () => {
    const spec = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`field${i}`, i]));
    const issues = inputIssues(() => parseTenantValue(validDocument('acme', spec)));
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(issues.at(-1)).toMatchObject({
      path: '(document)',
      message: `${100_000 - MAX_REPORTED_ISSUES} more problems not listed`,
    });
  });

  it('GIVEN a tier with a line break and an ANSI escape THEN the message quotes them escaped', () => {
    const issues = inputIssues(() => parseTenantValue(validDocument('acme', { tier: 'free\n\u001b[2Jgold' })));
    expect(issueAt(issues, 'spec.tier')).toMatchObject({
      message: expect.stringMatching(/^"free\\u\{A\}\\u\{1B\}\[2Jgold" is not allowed here$/),
      fix: expect.stringMatching(/"free"/),
    });
  });
});
