// One long-lived `git cat-file --batch` per repository: reads objects git keeps in packs (which
// the server does not parse itself) without starting a process per read.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';

export interface RawObject {
  type: string;
  content: Buffer;
}

interface Waiting {
  resolve(object: RawObject | null): void;
  reject(error: Error): void;
}

export class CatFileBatch {
  readonly #dir: string;
  #child: ChildProcessWithoutNullStreams | null = null;
  #waiting: Waiting[] = [];
  #pending: Buffer = Buffer.alloc(0);

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The object named by a 40-hex sha, or null when git does not have it. */
  read(sha: string): Promise<RawObject | null> {
    const child = this.#start();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      child.stdin.write(`${sha}\n`);
    });
  }

  close(): void {
    this.#child?.stdin.end();
    this.#child = null;
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#child) return this.#child;
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: this.#dir,
      env: { ...process.env, GIT_DIR: this.#dir },
    });
    // The reader must never keep a process alive that is otherwise done (tests, short CLI runs).
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref?.();
    child.stdout.on('data', (chunk: Buffer) => this.#receive(chunk));
    const fail = (error: Error) => {
      if (this.#child === child) this.#child = null;
      for (const waiting of this.#waiting.splice(0)) waiting.reject(error);
      this.#pending = Buffer.alloc(0);
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`git cat-file --batch exited with ${code}`)));
    child.stdin.on('error', () => {});
    this.#child = child;
    return child;
  }

  /** Answers are `<sha> <type> <size>\n<content>\n` or `<name> missing\n`, in request order. */
  #receive(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#waiting.length > 0) {
      const eol = this.#pending.indexOf(10);
      if (eol < 0) return;
      const header = this.#pending.subarray(0, eol).toString('utf8').split(' ');
      if (header[1] === 'missing' || header.length < 3) {
        this.#pending = this.#pending.subarray(eol + 1);
        this.#waiting.shift()?.resolve(null);
        continue;
      }
      const size = Number(header[2]);
      if (this.#pending.length < eol + 1 + size + 1) return;
      const content = Buffer.from(this.#pending.subarray(eol + 1, eol + 1 + size));
      this.#pending = this.#pending.subarray(eol + 1 + size + 1);
      this.#waiting.shift()?.resolve({ type: header[1] ?? '', content });
    }
  }
}
