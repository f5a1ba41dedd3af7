// Git objects of the bare repository, read and written from Node in git's own formats. An object
// is named by the sha1 of "<type> <size>\0<content>". New objects are held in memory and written
// to disk together as one pack by flush(), which must run before anything outside this process can
// look for them: before a ref points at them and before a git process starts. Loose objects
// (zlib of the same bytes under objects/<2 hex>/<38 hex>) are read directly; packed ones through
// one long-lived `git cat-file --batch`. Objects never change, so every object seen is remembered.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { CatFileBatch, type RawObject } from './cat-file-batch.ts';
import { writePack, type PackedObject } from './pack-writer.ts';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  type: ObjectType;
  content: Buffer;
}

const SHA = /^[0-9a-f]{40}$/;

export class ObjectStore {
  readonly #dir: string;
  readonly #batch: CatFileBatch;
  readonly #known = new Map<string, GitObject>();
  #unwritten: PackedObject[] = [];

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
    this.#unwritten.push({ sha, type, content });
    this.#known.set(sha, { type, content });
    return sha;
  }

  /** Writes the objects made since the last flush as one pack. */
  flush(): void {
    if (this.#unwritten.length === 0) return;
    const objects = this.#unwritten;
    this.#unwritten = [];
    writePack(join(this.#dir, 'objects'), objects);
  }

  close(): void {
    this.flush();
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
    if (content.length !== Number(size))
      throw new Error(`git object ${sha} is corrupt: size ${size}, found ${content.length} bytes`);
    return { type, content };
  }
}
