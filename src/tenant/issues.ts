// Turns zod's issues into FieldIssues a person can act on: a dotted field path, what is wrong, and
// the fix (for unknown fields: the nearest known field, so `requets.cpu` suggests `requests.cpu`).
import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.ts';
import { MAX_REPORTED_ISSUES } from './limits.ts';
import { quoteForMessage } from './quote.ts';
import { GPU_SLICES_FIX, tenantSchema } from './schema.ts';

type PathSegment = PropertyKey;

/** `spec.quota.requests.cpu`, `spec.owners[0].name`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
}

/** A kind of document: its schema (whose field names an unknown field is compared with) and JSON Schema file. */
export interface DocumentSchema {
  schema: z.ZodType;
  schemaFile: string;
}

const TENANT_DOCUMENT: DocumentSchema = { schema: tenantSchema, schemaFile: 'tenants/tenant.schema.json' };

export function toFieldIssues(
  issues: readonly z.core.$ZodIssue[],
  file: string | undefined,
  kind: DocumentSchema = TENANT_DOCUMENT,
): FieldIssue[] {
  const all = issues.flatMap((issue) => convert(issue, file, kind));
  if (all.length <= MAX_REPORTED_ISSUES) return all;
  // The shallowest first: "at most 50 owners" says more than the thousandth bad owner does.
  const depth = (issue: FieldIssue) => issue.path.split(/[.[]/).length;
  const kept = [...all].sort((a, b) => depth(a) - depth(b)).slice(0, MAX_REPORTED_ISSUES);
  return [
    ...kept,
    {
      ...(file ? { file } : {}),
      path: '(document)',
      message: `${all.length - kept.length} more problems not listed`,
      fix: 'fix the problems above and check again',
    },
  ];
}

function convert(issue: z.core.$ZodIssue, file: string | undefined, kind: DocumentSchema): FieldIssue[] {
  const path = formatPath(issue.path);
  const at = (p: string, message: string, fix?: string): FieldIssue => ({
    ...(file ? { file } : {}),
    path: p,
    message,
    ...(fix ? { fix } : {}),
  });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(kind.schema, issue.path);
      // Keys past the reported ones are only counted: their suggestion is the costly part.
      return issue.keys.map((key, i) => {
        const fieldPath = path ? `${path}.${key}` : key;
        const fix = i < MAX_REPORTED_ISSUES ? unknownFieldFix(known, key) : undefined;
        return at(fieldPath, `unknown field ${quoteForMessage(key)}`, fix);
      });
    }
    case 'custom': {
      const fix = (issue.params as { fix?: string } | undefined)?.fix;
      return [at(path, issue.message, fix)];
    }
    case 'invalid_value':
      return [
        at(
          path,
          `${quoteForMessage(issue.input)} is not allowed here`,
          `use ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`,
        ),
      ];
    case 'invalid_type':
      if (issue.input === undefined) return [at(path, 'is required', `add ${path}`)];
      if (path.endsWith('gpu.slices')) return [at(path, issue.message, GPU_SLICES_FIX)];
      return [at(path, issue.message, `write a ${TYPE_NAMES[issue.expected] ?? issue.expected}`)];
    case 'too_small':
    case 'too_big':
      return [at(path, issue.message, rangeFix(issue, path))];
    default:
      return [at(path, issue.message, `see ${kind.schemaFile} for the allowed values`)];
  }
}

const TYPE_NAMES: Record<string, string> = {
  int: 'whole number',
  object: 'mapping (key: value)',
  array: 'list',
  string: 'string',
  number: 'number',
};

function rangeFix(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, path: string): string {
  if (path.endsWith('gpu.slices')) return GPU_SLICES_FIX;
  if (path === 'spec.owners') {
    return issue.code === 'too_small'
      ? 'add an owner, e.g. { kind: Group, name: acme-admins }'
      : 'bind a group of the people instead of listing each of them';
  }
  if (/\.allowEgressTo\[\d+\]\.ports$/.test(path)) return 'omit `ports` to allow every port, or list fewer';
  if (/\.ports\[\d+\]$/.test(path)) return 'use a TCP port between 1 and 65535';
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const word = issue.code === 'too_small' ? 'at least' : 'at most';
  if (issue.origin === 'string') return `write ${word} ${String(bound)} character(s)`;
  if (issue.origin === 'array') return `list ${word} ${String(bound)} item(s)`;
  return `use a value ${word} ${String(bound)}`;
}

/** Keys longer than this are no typo of a known field; comparing them would only cost time. */
const MAX_TYPO_LENGTH = 64;

function unknownFieldFix(known: string[], key: string): string {
  if (/nvidia\.com\/gpu/.test(key))
    return 'GPUs are not a quota key here: ask for whole time-sliced GPUs with spec.gpu.slices';
  if (known.length === 0) return `remove ${quoteForMessage(key)}`;
  if (key.length > MAX_TYPO_LENGTH) return `remove ${quoteForMessage(key)} or use one of: ${known.join(', ')}`;
  const nearest = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const guess =
    nearest && nearest.distance <= Math.max(2, Math.floor(key.length / 3))
      ? `did you mean "${nearest.candidate}"? `
      : '';
  return `${guess}remove ${quoteForMessage(key)} or use one of: ${known.join(', ')}`;
}

/** The field names the schema allows at this path. */
function knownKeys(root: z.ZodType, path: readonly PathSegment[]): string[] {
  let schema: z.ZodType | undefined = root;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray) schema = typeof segment === 'number' ? (schema.element as z.ZodType) : undefined;
    else if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    else schema = undefined;
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
