// One token cap: MAX_TOKEN_SECONDS (src/tenant/platform.ts) is the figure the hand-written admission
// policy in base/platform refuses above, the figure scripts/control-plane.sh gives the API server
// as --service-account-max-token-expiration, and what the token endpoint's schema allows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenRequestSchema } from '../../src/onboarding/http/schemas.ts';
import { MAX_TOKEN_SECONDS } from '../../src/tenant/platform.ts';
import { kustomize } from '../fixtures/kustomize.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';

type Policy = {
  kind: string;
  metadata: { name: string };
  spec: { validations: { expression: string; messageExpression: string }[] };
};

const policies = kustomize(join(REPO_ROOT, 'base/platform')).filter(
  (o) => o.kind === 'ValidatingAdmissionPolicy',
) as unknown as Policy[];

/** Every whole number of five digits or more in the text (the figures a cap is written with). */
const figures = (text: string): number[] => [...text.matchAll(/\d{5,}/g)].map((m) => Number(m[0]));

describe('the token cap', () => {
  it('GIVEN base/platform WHEN the TokenRequest policy is read THEN its expression and message state MAX_TOKEN_SECONDS and nothing else', () => {
    const policy = policies.find((p) => p.metadata.name === 'tenant-token-requests');
    expect(policy, 'ValidatingAdmissionPolicy tenant-token-requests in base/platform').toBeDefined();
    const [validation] = policy!.spec.validations;
    expect(figures(validation!.expression)).toEqual([MAX_TOKEN_SECONDS]);
    expect(figures(validation!.messageExpression)).toEqual([MAX_TOKEN_SECONDS]);
  });

  it('GIVEN base/platform WHEN the token Secret policy tells what to do instead THEN it names MAX_TOKEN_SECONDS', () => {
    const policy = policies.find((p) => p.metadata.name === 'tenant-token-secrets');
    expect(policy, 'ValidatingAdmissionPolicy tenant-token-secrets in base/platform').toBeDefined();
    expect(policy!.spec.validations.flatMap((v) => figures(v.messageExpression))).toEqual([MAX_TOKEN_SECONDS]);
  });

  it('GIVEN scripts/control-plane.sh WHEN it starts the API server THEN --service-account-max-token-expiration is MAX_TOKEN_SECONDS', () => {
    const script = readFileSync(join(REPO_ROOT, 'scripts/control-plane.sh'), 'utf8');
    expect(script).toContain('--service-account-max-token-expiration "$MAX_TOKEN_EXPIRATION"');
    expect(script.match(/^MAX_TOKEN_EXPIRATION=(\d+)s$/m)?.[1]).toBe(String(MAX_TOKEN_SECONDS));
  });

  it("GIVEN the token endpoint's schema WHEN asked for the cap and one second more THEN the cap is accepted and the rest refused", () => {
    expect(TokenRequestSchema.safeParse({ expirationSeconds: MAX_TOKEN_SECONDS }).success).toBe(true);
    expect(TokenRequestSchema.safeParse({ expirationSeconds: MAX_TOKEN_SECONDS + 1 }).success).toBe(false);
  });
});
