// parseTenantValue: the service's decoded bodies get every check a tenant file gets, because they
// are checked as the file they would be committed as.
import { describe, expect, it } from 'vitest';
import { MAX_TENANT_FILE_BYTES, parseTenantValue, parseTenantYaml, tenantSpecFile } from '../../src/tenant/index.ts';
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
});
