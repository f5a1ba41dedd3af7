// Webhook deliveries from GitHub: signature verification on the raw body (webhook-events.ts reads
// the payload).
import { Webhooks } from '@octokit/webhooks';

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
