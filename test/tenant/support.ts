// Helpers for spec tests: a valid document to break on purpose, and assertions on InputError.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { InputError, type FieldIssue } from '../../src/shared/errors.ts';

export function validDocument(name = 'acme', spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name },
    spec: { tier: 'enterprise', owners: [{ kind: 'Group', name: `${name}-admins` }], ...spec },
  };
}

export function tenantText(doc: unknown): string {
  return `# yaml-language-server: $schema=./tenant.schema.json\n${stringify(doc)}`;
}

/** Runs `fn`, expects an InputError, and returns its issues. */
export function inputIssues(fn: () => unknown): FieldIssue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

export async function inputIssuesAsync(fn: () => Promise<unknown>): Promise<{ issues: FieldIssue[]; message: string }> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return { issues: (error as InputError).issues, message: (error as InputError).message };
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** The issue at `path` must exist, name `file`, match `message` and carry a fix matching `fix`. */
export function expectIssue(
  issues: FieldIssue[],
  want: { file: string; path: string; message: RegExp; fix: RegExp },
): FieldIssue {
  const found =
    issues.find((i) => i.path === want.path && i.file === want.file) ?? issues.find((i) => i.path === want.path);
  expect(found, `no issue at ${want.path}; got ${JSON.stringify(issues, null, 2)}`).toBeDefined();
  const issue = found as FieldIssue;
  expect(issue.file).toBe(want.file);
  expect(issue.message).toMatch(want.message);
  expect(issue.fix ?? '').toMatch(want.fix);
  return issue;
}

/** A platform root in a temp dir with the given tenants/ files. */
export async function platformRoot(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tenant-spec-'));
  await mkdir(join(root, 'tenants'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, 'tenants', name), text);
  return root;
}

/** A platform root in a temp dir holding `files` (repo-relative paths). */
export async function platformRootWith(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tenant-platform-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}
