import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMIT_MESSAGE_MAX_BYTES,
  fitPullRequestBody,
  tenantCommitMessage,
} from '../../../src/onboarding/github/body-limit.ts';
import { renderPullRequestBody } from '../../../src/onboarding/github/index.ts';
import { GITHUB_LIMITS } from '../../../src/shared/github-limits.ts';
import { parseTenantDocument } from '../../../src/tenant/parse.ts';
import { largestValidTenant } from '../../../testing/synthetic/largest-tenant.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const NOTICE =
  /\n\n> \[!CAUTION\]\n> \*\*…truncated:\*\* .*branch `tenants\/acme`.*`tenants\/acme\.yaml` in this PR's files\.\n$/;
const fitted = (review: string, limit: number) =>
  fitPullRequestBody(review, { tenant: 'acme', branch: 'tenants/acme', limit });

describe('fitPullRequestBody', () => {
  it('GIVEN a review within the limit WHEN fitted THEN it is the body as it is', () => {
    const review = '## Onboard\n\n| a | b |\n';
    expect(fitted(review, bytes(review))).toBe(review);
  });

  it('GIVEN a review over a lowered limit WHEN fitted THEN whole lines up to the limit, then the notice naming the branch', () => {
    const review = Array.from({ length: 200 }, (_, i) => `| **added** | \`User\` \`owner-${i}\` | — | bound |`).join(
      '\n',
    );
    const body = fitted(review, 2_000);
    expect(bytes(body)).toBeLessThanOrEqual(2_000);
    expect(body).toMatch(NOTICE);
    const kept = body.slice(0, body.indexOf('\n\n> [!CAUTION]'));
    expect(review.startsWith(`${kept}\n`)).toBe(true);
    // one more line would not have fitted
    const next = review.slice(kept.length + 1).split('\n')[0]!;
    expect(bytes(`${kept}\n${next}${body.slice(kept.length)}`)).toBeGreaterThan(2_000);
  });

  it('GIVEN any review and any limit that holds the notice WHEN fitted THEN the body fits, counted in UTF-8 bytes, and keeps a prefix of whole lines', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '|', '—', '😀', '`', ' '), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 400, max: 3_000 }), (lines, limit) => {
        const review = `${lines.join('\n')}\n`;
        const body = fitted(review, limit);
        if (bytes(review) <= limit) {
          expect(body).toBe(review);
        } else {
          expect(bytes(body)).toBeLessThanOrEqual(limit);
          expect(body).toMatch(NOTICE);
          expect(review.startsWith(body.slice(0, body.indexOf('\n\n> [!CAUTION]')))).toBe(true);
        }
      }),
    );
  });

  it("GIVEN the largest valid spec's change replacing every field WHEN fitted to GitHub's limit THEN the body fits and its warnings are whole", () => {
    const main = parseTenantDocument(largestValidTenant('acme', 'o').document).tenant;
    const next = parseTenantDocument(largestValidTenant('acme', 'n').document).tenant;
    const review = renderPullRequestBody({ action: 'update', tenant: next, previous: main });
    expect(review.length).toBeGreaterThan(GITHUB_LIMITS.bodyCharacters);
    const body = fitPullRequestBody(review, { tenant: 'acme', branch: 'tenants/acme' });
    expect(bytes(body)).toBeLessThanOrEqual(GITHUB_LIMITS.bodyCharacters);
    expect(body).toMatch(NOTICE);
    const warningsOf = (text: string) => text.slice(0, text.indexOf('\n### '));
    expect(warningsOf(body)).toBe(warningsOf(review));
    expect(warningsOf(body)).toMatch(/\*\*50 owners added\*\*.*\n> - \*\*50 owners removed:\*\*/);
  });
});

describe('tenantCommitMessage', () => {
  it('GIVEN a review WHEN committed THEN the message is the title, a blank line and the whole review', () => {
    expect(tenantCommitMessage('Onboard tenant acme', '## Onboard\n\nrows\n', 'acme')).toBe(
      'Onboard tenant acme\n\n## Onboard\n\nrows\n',
    );
  });

  it('GIVEN a runaway review WHEN committed THEN the message is cut at its own bound and points at the spec file', () => {
    const review = `${'x'.repeat(1_000)}\n`.repeat(Math.ceil(COMMIT_MESSAGE_MAX_BYTES / 1_000) + 10);
    const message = tenantCommitMessage('Onboard tenant acme', review, 'acme');
    expect(bytes(message)).toBeLessThanOrEqual(COMMIT_MESSAGE_MAX_BYTES);
    expect(message).toMatch(/^Onboard tenant acme\n\nx{1000}\n/);
    expect(message).toMatch(/\n\n\(…truncated: the spec itself is tenants\/acme\.yaml in this commit\.\)\n$/);
  });
});
