// The reading every reviewed YAML file of the platform repository shares (tenants/<name>.yaml,
// clusters/<name>.yaml): a size limit checked before anything is parsed, exactly one YAML document,
// no syntax error, a mapping, and at most a few aliases. Each problem is a FieldIssue on the file.
import { isMap, parseAllDocuments } from 'yaml';
import type { FieldIssue } from '../shared/errors.ts';
import { MAX_ALIAS_COUNT } from './limits.ts';

/** One kind of reviewed file: the words its messages use and its limits. */
export interface YamlFileKind {
  /** `tenant`, `cluster`: one file per `<noun>`. */
  noun: string;
  /** Its folder, `tenants`. */
  dir: string;
  /** `spec file`: "the spec file is N bytes". */
  fileNoun: string;
  /** `a tenant spec`: "… may be at most N bytes". */
  what: string;
  maxBytes: number;
  /** How to start a file from nothing (the fix for an empty file). */
  startFix: string;
  /** The fields the top-level mapping holds, for the fix of a non-mapping. */
  topFields: string;
}

export interface YamlFileOptions extends YamlFileKind {
  /** Relative path named in every issue, e.g. `tenants/acme.yaml`. */
  file?: string | undefined;
}

export type YamlFileResult = { value: unknown; issues: [] } | { value?: undefined; issues: FieldIssue[] };

/** The refusal of a file of `bytes` bytes, or undefined when it is small enough. */
export function fileSizeProblem(bytes: number, kind: YamlFileKind): { message: string; fix: string } | undefined {
  if (bytes <= kind.maxBytes) return undefined;
  return {
    message: `the ${kind.fileNoun} is ${bytes} bytes; ${kind.what} may be at most ${kind.maxBytes} bytes`,
    fix: `keep one ${kind.noun} per file and remove whatever made it this large`,
  };
}

export function documentIssue(file: string | undefined, message: string, fix: string): { issues: FieldIssue[] } {
  return { issues: [{ ...(file ? { file } : {}), path: '(document)', message, fix }] };
}

/** The one YAML mapping a reviewed file holds, as a plain value, or the issues that refuse it. */
export function readYamlMapping(text: string, options: YamlFileOptions): YamlFileResult {
  const issue = (message: string, fix: string) => documentIssue(options.file, message, fix);
  const tooLarge = fileSizeProblem(Buffer.byteLength(text, 'utf8'), options);
  if (tooLarge) return issue(tooLarge.message, tooLarge.fix);
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length === 0) return issue('the file is empty', options.startFix);
  if (documents.length !== 1) {
    return issue(
      `the file holds ${documents.length} YAML documents; a ${options.noun} file holds exactly one`,
      `split it into one file per ${options.noun} (${options.dir}/<name>.yaml)`,
    );
  }
  const [yamlDoc] = documents;
  if (!yamlDoc) return issue('the file is empty', options.startFix);
  const syntax = yamlDoc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0];
    return issue(
      `YAML syntax error${line ? ` at line ${line.line}, column ${line.col}` : ''}: ${syntax.message.split('\n')[0]}`,
      'fix the YAML syntax (indentation, quotes, colons)',
    );
  }
  if (!isMap(yamlDoc.contents))
    return issue('the document is not a mapping', `the file must be a mapping with ${options.topFields}`);
  try {
    return { value: yamlDoc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), issues: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return issue(
      `the YAML expands too many aliases (${message})`,
      `use at most a few anchors/aliases (limit ${MAX_ALIAS_COUNT}); write the values out`,
    );
  }
}
