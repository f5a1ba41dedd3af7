// Signs callbacks like GitHub and Stripe do: HMAC-SHA256 over "<unix seconds>.<raw body>", sent as
// `X-Tenant-Gitops-Signature: t=<unix seconds>,v1=<hex>`. The timestamp lets the backend refuse
// replays older than it tolerates; verifyCallbackSignature is what the backend (and tests) run.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tenant-gitops-signature';
export const EVENT_HEADER = 'x-tenant-gitops-event';
export const EVENT_ID_HEADER = 'x-tenant-gitops-event-id';

export function signCallback(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function verifyCallbackSignature(
  secret: string,
  body: string,
  header: string | undefined,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const timestamp = Number(match[1]);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signCallback(secret, body, timestamp).slice(`t=${timestamp},v1=`.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2] ?? '', 'hex'));
}
