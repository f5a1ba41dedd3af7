// Git objects of the bare repository, read and written from Node in git's own format: a loose
// object is zlib("<type> <size>\0<content>") stored under objects/<2 hex>/<38 hex>, named by the
// sha1 of the uncompressed bytes. Packed objects are read through one `git cat-file --batch`.
// Objects never change, so every object seen is remembered by sha. The files are small: plain
// synchronous calls cost less than a round trip through libuv's thread pool, which many requests
// at once would queue on.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { CatFileBatch, type RawObject } from './cat-file-batch.ts';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  type: ObjectType;
  content: Buffer;
}

const SHA = /^[0-9a-f]{40}$/;
let tempCounter = 0;

export class ObjectStore {
  readonly #dir: string;
  readonly #batch: CatFileBatch;
  readonly #known = new Map<string, GitObject>();
  readonly #folders = new Set<string>();

  constructor(dir: string) {
    this.#dir = dir;
    this.#batch = new CatFileBatch(dir);
  }

  /** The object, or null when the name is not a sha or the repository lacks it. */
  async read(sha: string): Promise<GitObject | null> {
    if (!SHA.test(sha)) return null;
    const known = this.#known.get(sha);
    if (known) return known;
    const raw = this.#readLoose(sha) ?? (await this.#batch.read(sha));
    if (!raw) return null;
    const object = { type: raw.type as ObjectType, content: raw.content };
    this.#known.set(sha, object);
    return object;
  }

  write(type: ObjectType, content: Buffer): string {
    const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
    const sha = createHash('sha1').update(raw).digest('hex');
    if (this.#known.has(sha)) return sha;
    const folder = join(this.#dir, 'objects', sha.slice(0, 2));
    if (!this.#folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.#folders.add(folder);
    }
    // Written aside and renamed, as git does, so a reader never sees half an object. An object
    // that exists already is replaced by the same bytes: cheaper than asking first.
    const temp = join(this.#dir, 'objects', `tmp_obj_${process.pid}_${tempCounter++}`);
    writeFileSync(temp, deflateSync(raw), { mode: 0o444 });
    renameSync(temp, join(folder, sha.slice(2)));
    this.#known.set(sha, { type, content });
    return sha;
  }

  close(): void {
    this.#batch.close();
  }

  #loosePath(sha: string): string {
    return join(this.#dir, 'objects', sha.slice(0, 2), sha.slice(2));
  }

  #readLoose(sha: string): RawObject | null {
    let compressed: Buffer;
    try {
      compressed = readFileSync(this.#loosePath(sha));
    } catch {
      return null;
    }
    const raw = inflateSync(compressed);
    const nul = raw.indexOf(0);
    const [type = '', size = ''] = raw.subarray(0, nul).toString('utf8').split(' ');
    const content = raw.subarray(nul + 1);
    if (content.length !== Number(size)) throw new Error(`git object ${sha} is corrupt: size ${size}, found ${content.length} bytes`);
    return { type, content };
  }
}
