// The local GitHub REST server (startSandboxGitHub) in a process of its own, for the service bench:
// in production GitHub is a remote service, so its CPU must not be charged to the service under test.
//
//   node --import tsx scripts/bench/github-server-process.ts --repo-dir DIR --owner O --repo R --webhook-url URL
//
// The webhook secret comes from TENANT_GITOPS_WEBHOOK_SECRET (kept off the command line). Once
// listening it prints ONE JSON line {"url","token"} on stdout. On SIGTERM/SIGINT, or when stdin
// closes (the parent is gone), it waits for webhook deliveries in flight, stops, and exits 0 — or
// 1, after printing them on stderr, if the server saw any OpenAPI mismatch.
import { parseArgs } from 'node:util';
import { startSandboxGitHub } from '../../testing/sandbox/github.ts';

const USAGE =
  'usage: github-server-process.ts --repo-dir DIR --owner OWNER --repo NAME --webhook-url URL (secret in TENANT_GITOPS_WEBHOOK_SECRET)';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'repo-dir': { type: 'string' },
      owner: { type: 'string' },
      repo: { type: 'string' },
      'webhook-url': { type: 'string' },
    },
    strict: true,
  });
  const webhookSecret = process.env.TENANT_GITOPS_WEBHOOK_SECRET;
  const { 'repo-dir': repoDir, owner, repo, 'webhook-url': webhookUrl } = values;
  if (!repoDir || !owner || !repo || !webhookUrl || !webhookSecret) {
    process.stderr.write(`tenant-gitops: missing argument\n${USAGE}\n`);
    return 2;
  }

  // Listen before starting, so a stop request during start-up is not lost.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
    process.stdin.resume();
  });
  const github = await startSandboxGitHub({ repoDir, owner, repo, webhookUrl, webhookSecret });
  process.stdout.write(`${JSON.stringify({ url: github.url, token: github.token })}\n`);

  await stopRequested;
  await github.stop();
  try {
    github.server.assertNoViolations();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `tenant-gitops: local GitHub server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
