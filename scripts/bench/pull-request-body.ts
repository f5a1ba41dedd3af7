// Benchmark of the PR body (`npx tsx scripts/bench/pull-request-body.ts`) for the largest valid
// spec (testing/synthetic/largest-tenant.ts, computed from the tier ceilings and the spec file
// limit): the time to render the whole review text, and its size, for onboarding it and for a
// change that replaces every owner (main's copy and this PR's share none, the largest diff); then
// the PR body fitted to GitHub's limit. Target: the PR body within GitHub's limit, a correctness
// target (the size does not depend on the machine); the time is reported without one.
import { pathToFileURL } from 'node:url';
import { fitPullRequestBody } from '../../src/onboarding/github/body-limit.ts';
import { renderPullRequestBody, type PullRequestBodyInput } from '../../src/onboarding/github/index.ts';
import { GITHUB_LIMITS } from '../../src/shared/github-limits.ts';
import { MAX_OWNERS } from '../../src/tenant/limits.ts';
import { tenantBranch } from '../../src/tenant/names.ts';
import { parseTenantDocument } from '../../src/tenant/parse.ts';
import { largestValidTenant } from '../../testing/synthetic/largest-tenant.ts';

const NAME = 'largest';
/** Renders timed per case, after as many untimed ones to warm the JIT up. */
const RUNS = 20;

export interface RenderFigures {
  msPerRender: number;
  reviewCharacters: number;
  bodyCharacters: number;
  truncated: boolean;
}

export interface PullRequestBodyBenchResult {
  owners: number;
  specFileBytes: number;
  limitCharacters: number;
  create: RenderFigures;
  change: RenderFigures;
  targets: { withinLimit: boolean };
}

export function benchPullRequestBody(): PullRequestBodyBenchResult {
  const largest = largestValidTenant(NAME);
  const tenant = parseTenantDocument(largest.document).tenant;
  const main = parseTenantDocument(largestValidTenant(NAME, 'f').document).tenant;
  const create = measure({ action: 'create', tenant });
  const change = measure({ action: 'update', tenant, previous: main });
  const limitCharacters = GITHUB_LIMITS.bodyCharacters;
  return {
    owners: MAX_OWNERS,
    specFileBytes: largest.fileBytes,
    limitCharacters,
    create,
    change,
    targets: { withinLimit: create.bodyCharacters <= limitCharacters && change.bodyCharacters <= limitCharacters },
  };
}

function measure(input: PullRequestBodyInput): RenderFigures {
  for (let i = 0; i < RUNS; i++) renderPullRequestBody(input);
  let review = '';
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) review = renderPullRequestBody(input);
  const msPerRender = (performance.now() - started) / RUNS;
  const body = fitPullRequestBody(review, { tenant: NAME, branch: tenantBranch(NAME) });
  return {
    msPerRender: Math.round(msPerRender * 10) / 10,
    reviewCharacters: [...review].length,
    bodyCharacters: [...body].length,
    truncated: body !== review,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(benchPullRequestBody(), null, 2)}\n`);
}
