// The audit side of the HTTP layer: every call of an audited route (writes, token issuance) becomes
// one audit record before its answer goes out, allowed or refused.
import type { Logger } from '../../shared/log.ts';
import type { OnboardingService } from '../service.ts';

/** An audited call: the route names the action, the handler's authorize() the tenant. */
export interface AuditSubject {
  action: string;
  caller: string;
  tenant: string | null;
}

/** An answer as the audit reads it; `audit` is the handler's own detail (a token's expiry). */
export interface AuditedReply {
  status: number;
  body: unknown;
  audit?: string;
}

/**
 * Writes the audit record of a call before its answer goes out. A call whose record cannot be
 * written answers 500 and withholds its body (a token is never handed out unaudited).
 */
export function recordAudit<R extends AuditedReply>(
  service: OnboardingService,
  log: Logger,
  subject: AuditSubject,
  reply: R,
): R | AuditedReply {
  const body = reply.body as {
    code?: string;
    message?: string;
    state?: string;
    pullRequest?: { number: number } | null;
  };
  const detail =
    reply.audit ??
    (reply.status >= 400
      ? `${body.code}: ${body.message}`
      : `state ${body.state}${body.pullRequest ? `, PR #${body.pullRequest.number}` : ''}`);
  try {
    service.audit({
      caller: subject.caller,
      tenant: subject.tenant,
      action: subject.action,
      result: reply.status >= 500 ? 'failed' : reply.status >= 400 ? 'refused' : 'done',
      status: reply.status,
      detail: detail.slice(0, 500),
    });
    return reply;
  } catch (error) {
    log.error({ error, ...subject }, 'audit record not written; answer withheld');
    return {
      status: 500,
      body: {
        code: 'INTERNAL',
        message:
          'tenant-gitops: the audit record of this request could not be written, so its answer is withheld; ' +
          'a change may have been made: repeat the request with the same Idempotency-Key',
      },
    };
  }
}
