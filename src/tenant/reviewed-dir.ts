// The folders of reviewed files in the platform repository (tenants/, clusters/): every entry is a
// `<name>.yaml` file or one of the few generated or note files the folder may also hold; anything
// else (a `.yml`, a symlink, a stray file) is refused with its fix. Files are checked for size
// before they are read, so a huge file is never loaded into memory.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { fileSizeProblem, type YamlFileKind } from './yaml-file.ts';

export interface ReviewedFile {
  /** Relative to the platform root, e.g. `tenants/acme.yaml`. */
  file: string;
  /** The file name without `.yaml`: the name the document must carry. */
  name: string;
  text: string;
}

/**
 * Every `<name>.yaml` of `kind.dir`, in name order, and the issues of every entry refused.
 * `alsoAllowed` are the other file names the folder may hold (besides `*.md` notes and `.gitkeep`).
 * Throws InputError when the folder cannot be read.
 */
export function readReviewedDir(
  root: string,
  kind: YamlFileKind,
  alsoAllowed: readonly string[],
): { files: ReviewedFile[]; issues: FieldIssue[] } {
  const dir = join(root, kind.dir);
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    throw new InputError(
      [
        {
          file: kind.dir,
          path: '(directory)',
          message: `cannot read ${dir}: ${(error as Error).message}`,
          fix: 'run from a platform repository or pass --root DIR',
        },
      ],
      { cause: error },
    );
  }
  const issues: FieldIssue[] = [];
  const files: ReviewedFile[] = [];
  for (const entry of entries) {
    const file = `${kind.dir}/${entry}`;
    const refusal =
      refuseEntry(entry, kind, alsoAllowed) ?? (entry.endsWith('.yaml') ? refuseFile(dir, entry, kind) : undefined);
    if (refusal) issues.push({ file, path: '(file)', ...refusal });
    // Synchronous reads: a reviewed file is a page of text, and for files that small a blocking
    // read costs a third of a promise's round trip through the thread pool; parsing is the work.
    else if (entry.endsWith('.yaml'))
      files.push({ file, name: entry.slice(0, -'.yaml'.length), text: readFileSync(join(dir, entry), 'utf8') });
  }
  return { files, issues };
}

/** Why a directory entry cannot be in the folder, or undefined when it is a file or allowed. */
function refuseEntry(
  entry: string,
  kind: YamlFileKind,
  alsoAllowed: readonly string[],
): { message: string; fix: string } | undefined {
  if (entry.endsWith('.yaml') || alsoAllowed.includes(entry) || entry.endsWith('.md') || entry === '.gitkeep')
    return undefined;
  if (entry.endsWith('.yml')) {
    return {
      message: `${kind.noun} files use the .yaml extension`,
      fix: `rename it to ${kind.dir}/${entry.slice(0, -'.yml'.length)}.yaml`,
    };
  }
  return {
    message: `unexpected file "${entry}" in ${kind.dir}/ (only <name>.yaml files, ${[...alsoAllowed, '.md notes'].join(', ').replace(/, ([^,]*)$/, ' and $1')} belong here)`,
    fix: `move it out of ${kind.dir}/`,
  };
}

function refuseFile(dir: string, entry: string, kind: YamlFileKind): { message: string; fix: string } | undefined {
  const stats = lstatSync(join(dir, entry));
  if (!stats.isFile())
    return {
      message: 'is not a regular file (a symlink or directory)',
      fix: `replace it with a regular ${kind.noun} file`,
    };
  return fileSizeProblem(stats.size, kind);
}
