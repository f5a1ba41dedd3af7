// The OpenAPI 3.1 description of the service's API, served at GET /openapi.json. Tests validate
// real responses against the schemas here, so the document cannot drift from what the code does.
import { DNS_LABEL_PATTERN } from '../../tenant/names.ts';
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from '../../tenant/platform.ts';
import { json, ref, schemas } from './openapi-schemas.ts';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from './schemas.ts';

const error = (description: string) => ({ description, content: json(ref('Error')) });

const nameParameter = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: DNS_LABEL_PATTERN },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The same key (per API token) returns the same response and does no new work.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};
/** Only where a route takes {name}: the router decodes it before anything else. */
const badPath = error('The name in the path is not valid percent-encoded UTF-8 (INVALID_PATH).');
const commonErrors = {
  '401': error('No or unknown bearer token.'),
  '403': error('The token’s scopes do not allow this request on this tenant (code FORBIDDEN).'),
  '413': error('Body larger than the limit.'),
  '429': error(
    'This token has too many requests in flight or is over its rate (code TOO_MANY_REQUESTS); see Retry-After.',
  ),
  '500': error(
    'Internal error. A write or token request whose audit record could not be written answers this, ' +
      'its answer withheld: repeat it with the same Idempotency-Key.',
  ),
};

const changeResponses = {
  '202': {
    description: 'Accepted: the PR is open (or being retried when pullRequest is null).',
    content: json(ref('Accepted')),
  },
  '400': error('Body is not JSON.'),
  '409': error('The tenant cannot take this change now, or the Idempotency-Key was used for another request.'),
  '415': error('Body is not application/json.'),
  '422': error('The spec is invalid: every field path is listed in issues; nothing was written.'),
  '502': error('GitHub refused the change.'),
  ...commonErrors,
};

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'tenant-gitops onboarding service',
      version: '1.0.0',
      description: 'Onboard, change and offboard tenants through reviewed GitHub PRs; learn when they are provisioned.',
    },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/v1/tenants': {
        post: {
          operationId: 'createTenant',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('TenantDocument')) },
          responses: changeResponses,
        },
        get: {
          operationId: 'listTenants',
          description:
            'One page of tenants in name order, without history. Follow nextCursor until it is null to read them all.',
          parameters: [
            { name: 'state', in: 'query', required: false, schema: ref('State') },
            {
              name: 'limit',
              in: 'query',
              required: false,
              description: 'Tenants per page.',
              schema: { type: 'integer', minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT },
            },
            {
              name: 'cursor',
              in: 'query',
              required: false,
              description: 'nextCursor of the previous page, unchanged.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': { description: 'One page of tenants, by name.', content: json(ref('TenantList')) },
            '422': error('Unknown state, limit out of range, or not a cursor from a previous page.'),
            ...commonErrors,
          },
        },
      },
      '/v1/tenants/{name}': {
        parameters: [nameParameter],
        get: {
          operationId: 'getTenant',
          responses: {
            '200': { description: 'The tenant with its history.', content: json(ref('Tenant')) },
            '400': badPath,
            '404': error('No such tenant.'),
            ...commonErrors,
          },
        },
        put: {
          operationId: 'updateTenant',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('TenantDocument')) },
          responses: {
            ...changeResponses,
            '400': error('Body is not JSON, or the name in the path is not valid percent-encoded UTF-8.'),
            '404': error('No such tenant.'),
          },
        },
        delete: {
          operationId: 'offboardTenant',
          parameters: [idempotencyKey],
          responses: {
            '202': changeResponses['202'],
            '400': badPath,
            '404': error('No such tenant.'),
            '409': changeResponses['409'],
            '502': changeResponses['502'],
            ...commonErrors,
          },
        },
      },
      '/v1/tenants/{name}/offboard-approval': {
        parameters: [nameParameter],
        post: {
          operationId: 'approveTenantOffboarding',
          description:
            'With TENANT_GITOPS_OFFBOARD_APPROVALS=2: a second token (approve scope, not the requester) ' +
            'approves the waiting offboarding request, which then proceeds as a DELETE would.',
          responses: {
            '202': changeResponses['202'],
            '400': badPath,
            '404': error('No such tenant.'),
            '409': error('No offboarding request waits for approval (none made, or it lapsed).'),
            '502': changeResponses['502'],
            ...commonErrors,
            '403': error('The scopes do not allow approve, or this token made the request itself (code FORBIDDEN).'),
          },
        },
      },
      '/v1/audit': {
        get: {
          operationId: 'listAuditRecords',
          description:
            'Every write and every tenant token issued, oldest first: who (the token name), which tenant, what, ' +
            'how it ended. Only records of tenants the token may audit are listed, so a page may hold fewer ' +
            'than limit; follow nextCursor until it is null.',
          parameters: [
            { name: 'tenant', in: 'query', required: false, schema: nameParameter.schema },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT },
            },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'One page of audit records.', content: json(ref('AuditPage')) },
            '422': error('Bad tenant, limit or cursor.'),
            ...commonErrors,
          },
        },
      },
      '/v1/tenants/{name}/token': {
        parameters: [nameParameter],
        post: {
          operationId: 'issueTenantToken',
          requestBody: {
            required: false,
            content: json({
              type: 'object',
              properties: {
                expirationSeconds: { type: 'integer', minimum: MIN_TOKEN_SECONDS, maximum: MAX_TOKEN_SECONDS },
              },
            }),
          },
          responses: {
            '200': {
              description: 'A short-lived tenant-admin token; never stored by the service.',
              content: json(ref('Token')),
            },
            '400': badPath,
            '404': error('No such tenant.'),
            '409': error('Not provisioned yet (code NOT_PROVISIONED).'),
            '422': error('Bad expirationSeconds.'),
            '503': error('No cluster configured.'),
            ...commonErrors,
          },
        },
      },
      '/github/webhook': {
        post: {
          operationId: 'receiveGitHubWebhook',
          security: [],
          description:
            'GitHub pull_request deliveries, verified with X-Hub-Signature-256. Also served at /v1/github/webhook.',
          responses: {
            '200': { description: 'Duplicate delivery, ignored.', content: json(ref('WebhookAck')) },
            '202': { description: 'Stored; processed asynchronously.', content: json(ref('WebhookAck')) },
            '400': error('Missing headers or not JSON.'),
            '401': error('Bad signature; nothing changed.'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          security: [],
          responses: { '200': { description: 'Alive.', content: json(ref('Status')) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          security: [],
          responses: {
            '200': { description: 'Ready.', content: json(ref('Status')) },
            '503': {
              description:
                'Starting, or degraded: `failing` names each background loop meeting errors and its last one.',
              content: json(ref('Status')),
            },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          security: [],
          responses: {
            '200': {
              description: 'Prometheus text format.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          security: [],
          responses: { '200': { description: 'This document.', content: json({ type: 'object' }) } },
        },
      },
    },
    webhooks: {
      tenantEvent: {
        post: {
          description:
            'Callback to the backend (tenant.pr_opened, tenant.provisioned, tenant.rejected, tenant.degraded, tenant.failed, tenant.deleted).',
          requestBody: { content: json(ref('Callback')) },
          responses: { '200': { description: 'Any 2xx acknowledges the event.' } },
        },
      },
    },
  };
}
