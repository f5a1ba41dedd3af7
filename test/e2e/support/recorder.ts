// Collects what a watch delivers and what it logs, with a polling wait, for the watch tests.
import { createJsonLogger, type Logger } from '../../../src/shared/log.ts';

export async function waitFor<T>(read: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface LogRecord {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export function recordingLogger(): { log: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const log = createJsonLogger({ level: 'debug', write: (line) => records.push(JSON.parse(line) as LogRecord) });
  return { log, records };
}
