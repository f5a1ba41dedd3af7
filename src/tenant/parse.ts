// Parsing one tenant document: from YAML text (files, the CLI) or an already-decoded value (the
// service's JSON bodies). Either way every problem is collected into one InputError, and a value
// passes every check a file does: it is checked again as the file it would be committed as.
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { toFieldIssues } from './issues.ts';
import { MAX_TENANT_FILE_BYTES } from './limits.ts';
import { TENANTS_DIR } from './names.ts';
import { loadPlainYaml } from './plain-yaml.ts';
import { resolveTenant } from './resolve.ts';
import { tenantSchema, type TenantDocument } from './schema.ts';
import { tenantSpecFile } from './spec-file.ts';
import type { ResolvedTenant } from './types.ts';
import { documentIssue, fileSizeProblem, readYamlMapping, type YamlFileKind } from './yaml-file.ts';

export interface ParseOptions {
  /** Relative path named in every issue, e.g. `tenants/acme.yaml`. */
  file?: string;
  /** The name the document must carry (the file's base name). */
  expectedName?: string;
}

export interface ParsedTenant {
  document: TenantDocument;
  tenant: ResolvedTenant;
}

export function parseTenantDocument(doc: unknown, opts: ParseOptions = {}): ParsedTenant {
  const { document, issues } = collectTenantDocument(doc, opts);
  if (!document) throw new InputError(issues);
  return document;
}

/** Like parseTenantDocument but returns the issues instead of throwing (the loader batches them). */
export function collectTenantDocument(
  doc: unknown,
  opts: ParseOptions = {},
): { document?: ParsedTenant; issues: FieldIssue[] } {
  const parsed = tenantSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) return { issues: toFieldIssues(parsed.error.issues, opts.file) };
  const { tenant, issues } = resolveTenant(parsed.data, opts);
  if (issues.length > 0) return { issues };
  return { document: { document: parsed.data, tenant }, issues: [] };
}

/**
 * A decoded value (the onboarding service's request bodies) with every check of a tenant file:
 * the schema on the value first, which refuses a field of the wrong shape without walking into
 * it (so a body nested thousands deep is a refusal, not a stack overflow while writing YAML), then
 * the file it would be committed as, through the same reader as `tenantctl`, byte limit included.
 */
export function parseTenantValue(value: unknown, opts: ParseOptions = {}): ParsedTenant {
  const checked = collectTenantDocument(value, opts);
  if (!checked.document) throw new InputError(checked.issues);
  return parseTenantYaml(tenantSpecFile(checked.document.document), opts);
}

/** How tenant files are read and what their messages call them. */
export const TENANT_FILE: YamlFileKind = {
  noun: 'tenant',
  dir: TENANTS_DIR,
  fileNoun: 'spec file',
  what: 'a tenant spec',
  maxBytes: MAX_TENANT_FILE_BYTES,
  startFix: 'start from `tenantctl new <name> --tier <tier>`',
  topFields: 'apiVersion, kind, metadata and spec',
};

/** `opts` may be the file name alone. */
export function parseTenantYaml(text: string, opts: ParseOptions | string): ParsedTenant {
  const options = typeof opts === 'string' ? { file: opts } : opts;
  const { document, issues } = collectTenantYaml(text, options);
  if (!document) throw new InputError(issues);
  return document;
}

export function collectTenantYaml(text: string, opts: ParseOptions): { document?: ParsedTenant; issues: FieldIssue[] } {
  const tooLarge = fileSizeProblem(Buffer.byteLength(text, 'utf8'), TENANT_FILE);
  if (tooLarge) return documentIssue(opts.file, tooLarge.message, tooLarge.fix);
  // The fast reader's result is kept only when it passes every check; anything else is read again
  // by `yaml`, so problems are always found and worded by one reader.
  const plain = loadPlainYaml(text);
  if (plain !== undefined) {
    const fast = collectTenantDocument(plain, opts);
    if (fast.document) return fast;
  }
  const read = readYamlMapping(text, { ...TENANT_FILE, file: opts.file });
  return read.value === undefined ? { issues: read.issues } : collectTenantDocument(read.value, opts);
}
