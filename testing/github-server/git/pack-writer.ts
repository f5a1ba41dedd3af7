// Writes a batch of objects as ONE git pack (objects/pack/pack-<sha>.pack and its version-2 .idx)
// instead of one loose file per object: creating files is the slow part of writing objects, and a
// tenant change makes a dozen of them. No deltas: each object is stored whole, zlib-compressed at
// the fastest level (any level reads the same; these packs are small and short-lived in a sandbox).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { ObjectType } from './object-store.ts';

export interface PackedObject {
  sha: string;
  type: ObjectType;
  content: Buffer;
}

const TYPE_NUMBER: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
let tempCounter = 0;

/** Writes the pack, then its index (renamed into place last: git sees a pack once its .idx exists). */
export function writePack(objectsDir: string, objects: PackedObject[]): void {
  if (objects.length === 0) return;
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  const entries: { sha: string; offset: number; crc: number }[] = [];
  let offset = header.length;
  for (const object of objects) {
    const entry = Buffer.concat([
      entryHeader(TYPE_NUMBER[object.type], object.content.length),
      deflateSync(object.content, { level: 1 }),
    ]);
    entries.push({ sha: object.sha, offset, crc: crc32(entry) });
    parts.push(entry);
    offset += entry.length;
  }
  if (offset >= 2 ** 31)
    throw new Error('tenant-gitops: a pack over 2 GiB needs 64-bit offsets, which this writer does not write');
  const body = Buffer.concat(parts);
  const packSha = createHash('sha1').update(body).digest();
  const folder = join(objectsDir, 'pack');
  mkdirSync(folder, { recursive: true });
  const name = join(folder, `pack-${packSha.toString('hex')}`);
  writeFileSync(`${name}.pack`, Buffer.concat([body, packSha]), { mode: 0o444 });
  const temp = join(folder, `tmp_idx_${process.pid}_${tempCounter++}`);
  writeFileSync(temp, packIndex(entries, packSha), { mode: 0o444 });
  renameSync(temp, `${name}.idx`);
}

/** Type and size: 3 type bits and 4 size bits, then 7 size bits per byte while the high bit is set. */
function entryHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/** Index v2: magic, version, fan-out by first byte, sorted names, CRC32s, 31-bit offsets, checksums. */
function packIndex(entries: { sha: string; offset: number; crc: number }[], packSha: Buffer): Buffer {
  const sorted = [...entries].sort((a, b) => (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  const n = sorted.length;
  const index = Buffer.alloc(8 + 256 * 4 + n * (20 + 4 + 4) + 20);
  index.writeUInt32BE(0xff744f63, 0);
  index.writeUInt32BE(2, 4);
  const counts = new Array<number>(256).fill(0);
  for (const entry of sorted) counts[parseInt(entry.sha.slice(0, 2), 16)]! += 1;
  let running = 0;
  for (let i = 0; i < 256; i++) {
    running += counts[i]!;
    index.writeUInt32BE(running, 8 + i * 4);
  }
  let at = 8 + 256 * 4;
  for (const entry of sorted) at += index.write(entry.sha, at, 'hex');
  for (const entry of sorted) at = index.writeUInt32BE(entry.crc >>> 0, at);
  for (const entry of sorted) at = index.writeUInt32BE(entry.offset, at);
  packSha.copy(index, at);
  at += 20;
  const body = index.subarray(0, at);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}
