// POST /github/webhook: the signature (X-Hub-Signature-256) is checked on the raw bytes before
// anything is parsed or stored; a bad one changes nothing. A good delivery is stored (deduplicated
// by X-GitHub-Delivery) and answered at once; the service processes it afterwards.
import type { IncomingMessage } from 'node:http';
import type { WebhookVerifier } from '../github/index.ts';
import type { ServiceMetrics } from '../metrics.ts';
import type { OnboardingService } from '../service.ts';
import { ApiError } from './errors.ts';

export async function receiveWebhook(
  request: IncomingMessage,
  raw: Buffer,
  deps: { service: OnboardingService; verify: WebhookVerifier; metrics: ServiceMetrics },
): Promise<{ status: number; body: unknown }> {
  const signature = header(request, 'x-hub-signature-256');
  const rawText = raw.toString('utf8');
  if (!signature || !(await deps.verify(rawText, signature).catch(() => false))) {
    deps.metrics.countDelivery('invalid_signature');
    throw new ApiError('INVALID_SIGNATURE', 'X-Hub-Signature-256 is missing or does not match the webhook secret');
  }
  const delivery = header(request, 'x-github-delivery');
  const event = header(request, 'x-github-event');
  let payload: unknown;
  try {
    payload = JSON.parse(rawText) as unknown;
  } catch {
    payload = undefined;
  }
  if (!delivery || !event || payload === undefined) {
    deps.metrics.countDelivery('invalid_payload');
    throw new ApiError('INVALID_JSON', 'a webhook needs X-GitHub-Delivery, X-GitHub-Event and a JSON body');
  }
  const fresh = deps.service.acceptDelivery({ id: delivery, event, payload });
  deps.metrics.countDelivery(fresh ? 'accepted' : 'duplicate');
  return { status: fresh ? 202 : 200, body: { delivery, status: fresh ? 'accepted' : 'duplicate' } };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
