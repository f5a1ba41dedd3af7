// Webhook deliveries from GitHub: signature verification on the raw body, and the part of the
// pull_request payload the service reads, parsed with zod at the boundary.
import { Webhooks } from '@octokit/webhooks';
import { z } from 'zod';

/** True when `signature` (sha256=<hex>) is the HMAC of `rawBody` with the webhook secret. */
export type WebhookVerifier = (rawBody: string, signature: string) => Promise<boolean>;

/** Verifies X-Hub-Signature-256 (`sha256=<hex>`) in constant time; a malformed header is false. */
export function createWebhookVerifier(secret: string): WebhookVerifier {
  if (secret === '')
    throw new Error(
      'tenant-gitops: the webhook secret is empty; set the same secret as in the GitHub webhook settings',
    );
  const webhooks = new Webhooks({ secret });
  return async (rawBody, signature) => {
    if (!signature) return false;
    try {
      return await webhooks.verify(rawBody, signature);
    } catch {
      return false;
    }
  };
}

/** The subset of GitHub's `pull_request` event the onboarding service acts on. */
export const pullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    number: z.number().int().positive(),
    state: z.enum(['open', 'closed']),
    merged: z.boolean().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    html_url: z.string(),
    head: z.object({ ref: z.string(), sha: z.string() }),
    base: z.object({ ref: z.string() }),
  }),
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }).optional(),
});

export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;
