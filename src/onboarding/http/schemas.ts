// zod schemas for what the API reads besides the tenant document (which tenant/ validates).
import { z } from 'zod';
import type { FieldIssue } from '../../shared/errors.ts';
import { DNS_LABEL } from '../../tenant/names.ts';
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from '../../tenant/platform.ts';
import { TENANT_STATES } from '../store/types.ts';
import { ApiError } from './errors.ts';
import { decodeListCursor } from './list-cursor.ts';

/** Page size of GET /v1/tenants: the default keeps answers small; the maximum bounds one answer's memory. */
export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 1000;

export const ListQuerySchema = z
  .object({
    state: z.enum(TENANT_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
    /** Decoded to the tenant name to continue after. */
    cursor: z
      .string()
      .max(400)
      .transform((cursor, ctx) => {
        const after = decodeListCursor(cursor);
        if (after !== null && DNS_LABEL.test(after)) return after;
        ctx.addIssue({ code: 'custom', message: 'not a cursor from a previous page (pass nextCursor unchanged)' });
        return z.NEVER;
      })
      .optional(),
  })
  .strict();

export const AuditQuerySchema = z
  .object({
    tenant: z.string().regex(DNS_LABEL, 'a tenant name').optional(),
    limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
    /** The last record id of the previous page. */
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'not a cursor from a previous page (pass nextCursor unchanged)')
      .transform(Number)
      .optional(),
  })
  .strict();

export const TokenRequestSchema = z
  .object({
    expirationSeconds: z.number().int().min(MIN_TOKEN_SECONDS).max(MAX_TOKEN_SECONDS).default(MIN_TOKEN_SECONDS),
  })
  .strict();

export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Parses with zod and turns failures into a 422 naming every field. */
export function parseOr422<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ApiError(
    'INVALID_INPUT',
    `the request is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}
