// Refs of the bare repository read and moved from Node the way git's files backend does: a loose
// ref is a file holding "<sha>\n" (or "ref: <target>\n"), others sit in packed-refs; a move takes
// <ref>.lock with O_EXCL, checks the old value, writes the new one and renames the lock over the ref.
// Synchronous calls: a few tiny files, cheaper than the thread pool's queue under load.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class RefConflict extends Error {}

const SHA = /^[0-9a-f]{40}$/;

/**
 * True for names git's check-ref-format accepts (and that cannot leave the repository); other names
 * are left to git itself.
 */
export function isPlainRefName(ref: string): boolean {
  if (ref === 'HEAD') return true;
  if (!ref.startsWith('refs/') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) return false;
  // git check-ref-format: no control characters, space, ~ ^ : ? * [ \ in a ref name.
  // eslint-disable-next-line no-control-regex
  if (/\.\.|@\{|\/\/|[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return false;
  return ref.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

export class RefFiles {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The sha a ref names (symbolic refs followed), or null when it does not exist. */
  read(ref: string, depth = 0): string | null {
    let text: string | null;
    try {
      text = readFileSync(join(this.#dir, ref), 'utf8').trim();
    } catch {
      text = null;
    }
    if (text === null) return this.#packed(ref);
    if (text.startsWith('ref: ') && depth < 5) return this.read(text.slice(5).trim(), depth + 1);
    return SHA.test(text) ? text : null;
  }

  /** Points `ref` at `sha`; with `expected`, only if it still names that (null: must not exist). */
  write(ref: string, sha: string, expected?: string | null): void {
    const path = join(this.#dir, ref);
    const lock = `${path}.lock`;
    let fd: number;
    try {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(lock, 'wx');
    } catch (error) {
      throw new RefConflict(`cannot lock ref '${ref}': ${(error as Error).message}`);
    }
    try {
      const current = this.read(ref);
      if (expected !== undefined && current !== expected) {
        throw new RefConflict(
          `cannot lock ref '${ref}': is at ${current ?? '(nothing)'} but expected ${expected ?? '(nothing)'}`,
        );
      }
      writeSync(fd, `${sha}\n`);
      closeSync(fd);
      fd = -1;
      renameSync(lock, path);
    } catch (error) {
      if (fd >= 0) closeSync(fd);
      try {
        unlinkSync(lock);
      } catch {
        // already gone
      }
      throw error;
    }
  }

  #packed(ref: string): string | null {
    let text: string;
    try {
      text = readFileSync(join(this.#dir, 'packed-refs'), 'utf8');
    } catch {
      return null;
    }
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.startsWith('^')) continue;
      const [sha = '', name] = line.split(' ');
      if (name === ref && SHA.test(sha)) return sha;
    }
    return null;
  }
}
