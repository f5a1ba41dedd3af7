// One `tenantctl generate --root DIR --json`, run by the generate benchmark as a process of its own
// so that the peak RSS it reports belongs to this generate alone and never mixes with another run.
//   usage: node --import tsx scripts/bench/generate-once.ts ROOT REPORT_FILE
// stdout is the command's own --json output; REPORT_FILE receives the measurement.
// The command is timed in-process, after its modules are loaded: Node and tsx start-up is the same
// for every N and is reported apart by the parent as the whole process's wall time.
import { writeFileSync } from 'node:fs';
import { generateCommand } from '../../src/cli/generate.ts';

export interface GenerateOnceReport {
  exitCode: number;
  /** Wall time of the generate command itself. */
  ms: number;
  /** RSS once Node, tsx and the generator's modules are loaded, before generating. */
  rssBeforeBytes: number;
  /** getrusage(2) ru_maxrss of this process: the true high-water mark, not a sample. */
  peakRssBytes: number;
}

const [root, reportFile] = process.argv.slice(2);
if (root === undefined || reportFile === undefined) {
  process.stderr.write('tenant-gitops: usage: generate-once.ts ROOT REPORT_FILE\n');
  process.exit(2);
}

const rssBeforeBytes = process.memoryUsage().rss;
const started = performance.now();
const exitCode = await generateCommand(['--root', root, '--json']);
const ms = performance.now() - started;
// Node reports maxRSS in kilobytes.
const report: GenerateOnceReport = {
  exitCode,
  ms,
  rssBeforeBytes,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
writeFileSync(reportFile, JSON.stringify(report));
process.exitCode = exitCode;
