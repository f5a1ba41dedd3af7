// Parsing one tenant document: from YAML text (files, the CLI) or an already-decoded value (the
// service's JSON bodies). Either way every problem is collected into one InputError, and a value
// passes every check a file does: it is checked again as the file it would be committed as.
import { isMap, parseAllDocuments } from 'yaml';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { toFieldIssues } from './issues.ts';
import { MAX_ALIAS_COUNT, MAX_TENANT_FILE_BYTES } from './limits.ts';
import { loadPlainYaml } from './plain-yaml.ts';
import { resolveTenant } from './resolve.ts';
import { tenantSchema, type TenantDocument } from './schema.ts';
import { tenantSpecFile } from './spec-file.ts';
import type { ResolvedTenant } from './types.ts';

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

/** The refusal of a spec of `bytes` bytes, or undefined when it is small enough. */
export function fileSizeProblem(bytes: number): { message: string; fix: string } | undefined {
  if (bytes <= MAX_TENANT_FILE_BYTES) return undefined;
  return {
    message: `the spec file is ${bytes} bytes; a tenant spec may be at most ${MAX_TENANT_FILE_BYTES} bytes`,
    fix: 'keep one tenant per file and remove whatever made it this large',
  };
}

/** `opts` may be the file name alone. */
export function parseTenantYaml(text: string, opts: ParseOptions | string): ParsedTenant {
  const options = typeof opts === 'string' ? { file: opts } : opts;
  const { document, issues } = collectTenantYaml(text, options);
  if (!document) throw new InputError(issues);
  return document;
}

export function collectTenantYaml(text: string, opts: ParseOptions): { document?: ParsedTenant; issues: FieldIssue[] } {
  const issue = (message: string, fix: string): { issues: FieldIssue[] } => ({
    issues: [{ ...(opts.file ? { file: opts.file } : {}), path: '(document)', message, fix }],
  });
  const tooLarge = fileSizeProblem(Buffer.byteLength(text, 'utf8'));
  if (tooLarge) return issue(tooLarge.message, tooLarge.fix);
  // The fast reader's result is kept only when it passes every check; anything else is read again
  // by `yaml`, so problems are always found and worded by one reader.
  const plain = loadPlainYaml(text);
  if (plain !== undefined) {
    const fast = collectTenantDocument(plain, opts);
    if (fast.document) return fast;
  }
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length === 0)
    return issue('the file is empty', 'start from `tenantctl new <name> --tier <tier>`');
  if (documents.length !== 1) {
    return issue(
      `the file holds ${documents.length} YAML documents; a tenant file holds exactly one`,
      'split it into one file per tenant (tenants/<name>.yaml)',
    );
  }
  const [yamlDoc] = documents;
  if (!yamlDoc) return issue('the file is empty', 'start from `tenantctl new <name> --tier <tier>`');
  const syntax = yamlDoc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0];
    return issue(
      `YAML syntax error${line ? ` at line ${line.line}, column ${line.col}` : ''}: ${syntax.message.split('\n')[0]}`,
      'fix the YAML syntax (indentation, quotes, colons)',
    );
  }
  if (!isMap(yamlDoc.contents)) {
    return issue(
      'the document is not a mapping',
      'the file must be a mapping with apiVersion, kind, metadata and spec',
    );
  }
  let value: unknown;
  try {
    value = yamlDoc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return issue(
      `the YAML expands too many aliases (${message})`,
      `use at most a few anchors/aliases (limit ${MAX_ALIAS_COUNT}); write the values out`,
    );
  }
  return collectTenantDocument(value, opts);
}
