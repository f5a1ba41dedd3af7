// GitHub's secondary limit on content creation, switched on in the local GitHub server with time
// compressed (a minute is 120 ms, an hour 7.2 s) and lowered figures (20 a minute, 100 an hour), so
// 30 onboardings (150 content-creating requests) need both windows. Paced, every onboarding gets
// exactly one PR and GitHub never answers a secondary rate limit; unpaced, the same load is refused.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/shared/log.ts';
import type { GitHubServer } from '../../testing/github-server/index.ts';
import { OWNER, REPO, startHarness, tenantDocument, type Harness } from './support/harness.ts';

const LIMITS = { perMinute: 20, perHour: 100, windowScale: 0.002 };
const HOUR_MS = 3_600_000 * LIMITS.windowScale;
const TENANTS = Array.from({ length: 30 }, (_, i) => `paced-${String(i).padStart(2, '0')}`);
/** Per onboarding: tree, commit, ref, pull request, labels. */
const CONTENT_PER_ONBOARDING = 5;

async function onboardAll(pacing: typeof LIMITS | false) {
  const h: Harness = await startHarness({ service: false, github: { contentLimits: LIMITS } });
  try {
    await h.startService({
      github: {
        baseUrl: h.proxy.url,
        token: 'test-token',
        owner: OWNER,
        repo: REPO,
        webhookSecret: h.webhookSecret,
        throttle: false,
        contentPacing: pacing,
      },
      log: silentLogger,
    });
    const started = performance.now();
    const answers = await Promise.all(TENANTS.map((name) => h.api('POST', '/v1/tenants', tenantDocument(name))));
    const ms = performance.now() - started;
    const server = h.github as unknown as GitHubServer;
    const content = h.proxy.requests.filter((r) => r.method !== 'GET' && r.status < 300).length;
    return { h, answers, ms, refused: [...server.secondaryRateLimited], content, prs: await h.pulls('all') };
  } finally {
    await h.stopService();
  }
}

describe('pacing content-creating requests under GitHub secondary limit', () => {
  it('GIVEN the limits on WHEN 30 tenants are onboarded at once through the paced client THEN all get one PR each, and GitHub never refused one', async () => {
    const { h, answers, ms, refused, content, prs } = await onboardAll(LIMITS);
    try {
      expect(refused).toEqual([]);
      expect(answers.map((a) => [a.status, a.body.state])).toEqual(TENANTS.map(() => [202, 'pr_open']));
      expect(prs.map((p) => p.head.ref).sort()).toEqual(TENANTS.map((name) => `tenants/${name}`));
      expect(content).toBe(TENANTS.length * CONTENT_PER_ONBOARDING);
      // 150 requests at 100 an hour: the last 50 waited for the first hour's window to pass.
      expect(ms).toBeGreaterThanOrEqual(HOUR_MS);
      expect(h.github.violations).toEqual([]);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it('GIVEN the limits on WHEN the same load goes through a client without pacing THEN GitHub refuses requests with the secondary rate limit', async () => {
    const { h, refused } = await onboardAll(false);
    try {
      expect(refused.length).toBeGreaterThan(0);
    } finally {
      await h.stop();
    }
  }, 60_000);
});
