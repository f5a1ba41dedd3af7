// The component schemas of the service's OpenAPI document (openapi.ts): every body the API reads
// or answers, and the callback the backend receives.
import { ERROR_CODES } from '../../shared/errors.ts';
import { EVENT_TYPES, TENANT_STATES } from '../store/types.ts';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] });

/** One page of a listing: its items under `key`, and the cursor of the next page. */
const page = (key: string, item: string) => ({
  type: 'object',
  required: [key, 'nextCursor'],
  additionalProperties: false,
  properties: {
    [key]: { type: 'array', items: ref(item) },
    nextCursor: {
      ...nullable({ type: 'string' }),
      description: 'Pass as ?cursor= for the next page; null on the last page.',
    },
  },
});

export const schemas = {
  Error: {
    type: 'object',
    required: ['code', 'message'],
    additionalProperties: false,
    properties: {
      code: { type: 'string', enum: [...ERROR_CODES] },
      message: { type: 'string' },
      issues: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            file: { type: 'string' },
            path: { type: 'string' },
            message: { type: 'string' },
            fix: { type: 'string' },
          },
        },
      },
    },
  },
  TenantDocument: {
    description: 'A tenant spec as in tenants/<name>.yaml (full schema: tenants/tenant.schema.json).',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'tenants.gitops.dev/v1' },
      kind: { const: 'Tenant' },
      metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      spec: { type: 'object' },
    },
  },
  PullRequest: {
    type: 'object',
    required: ['number', 'url'],
    additionalProperties: false,
    properties: { number: { type: 'integer' }, url: { type: 'string' } },
  },
  State: { type: 'string', enum: [...TENANT_STATES] },
  Accepted: {
    type: 'object',
    required: ['name', 'state', 'pullRequest'],
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      state: ref('State'),
      pullRequest: nullable(ref('PullRequest')),
      offboardApproval: nullable(ref('OffboardApproval')),
    },
  },
  OffboardApproval: {
    description: 'An offboarding request waiting for a second token (approve scope) to approve it before it lapses.',
    type: 'object',
    required: ['requestedBy', 'requestedAt', 'expiresAt'],
    additionalProperties: false,
    properties: {
      requestedBy: { type: 'string' },
      requestedAt: { type: 'string', format: 'date-time' },
      expiresAt: { type: 'string', format: 'date-time' },
    },
  },
  AuditRecord: {
    type: 'object',
    required: ['id', 'at', 'caller', 'tenant', 'action', 'result', 'status', 'detail'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer' },
      at: { type: 'string', format: 'date-time' },
      caller: { type: 'string', description: 'The API token’s name.' },
      tenant: { type: ['string', 'null'] },
      action: {
        type: 'string',
        enum: ['tenant.create', 'tenant.update', 'tenant.offboard', 'tenant.offboard_approve', 'tenant.token'],
      },
      result: { type: 'string', enum: ['done', 'refused', 'failed'] },
      status: { type: 'integer' },
      detail: { type: ['string', 'null'] },
    },
  },
  AuditPage: page('records', 'AuditRecord'),
  Transition: {
    type: 'object',
    required: ['from', 'to', 'reason', 'actor', 'at'],
    additionalProperties: false,
    properties: {
      from: nullable(ref('State')),
      to: ref('State'),
      reason: { type: 'string' },
      actor: { type: ['string', 'null'] },
      at: { type: 'string', format: 'date-time' },
    },
  },
  Tenant: {
    type: 'object',
    required: [
      'name',
      'state',
      'action',
      'namespaces',
      'pullRequest',
      'mergeCommit',
      'application',
      'requestedBy',
      'offboarding',
      'offboardApproval',
      'deletionRecord',
      'createdAt',
      'updatedAt',
    ],
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      state: ref('State'),
      action: { type: 'string', enum: ['create', 'update', 'offboard'] },
      namespaces: { type: 'array', items: { type: 'string' } },
      pullRequest: nullable(ref('PullRequest')),
      mergeCommit: { type: ['string', 'null'] },
      application: nullable({
        type: 'object',
        required: ['name', 'health', 'sync', 'revision', 'observedAt'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          health: { type: 'string' },
          sync: { type: 'string' },
          revision: { type: ['string', 'null'] },
          observedAt: { type: 'string' },
        },
      }),
      requestedBy: { type: 'string' },
      offboarding: nullable({
        type: 'object',
        required: ['requestedBy', 'requestedAt'],
        additionalProperties: false,
        properties: { requestedBy: { type: 'string' }, requestedAt: { type: 'string', format: 'date-time' } },
      }),
      offboardApproval: nullable(ref('OffboardApproval')),
      deletionRecord: nullable(ref('SignedDeletionRecord')),
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      history: { type: 'array', items: ref('Transition') },
    },
  },
  TenantList: page('tenants', 'Tenant'),
  SignedDeletionRecord: {
    description:
      'What an offboarding did and proved (README, Provable offboarding), signed with Ed25519 over the canonical JSON ' +
      'of `record` (keys sorted at every level, no whitespace); present while the tenant is deleted, and in ' +
      "tenant.deleted's data.deletionRecord.",
    type: 'object',
    required: ['record', 'signature'],
    additionalProperties: false,
    properties: {
      record: ref('DeletionRecord'),
      signature: nullable({
        type: 'object',
        required: ['algorithm', 'keyId', 'value'],
        additionalProperties: false,
        properties: {
          algorithm: { const: 'ed25519' },
          keyId: { type: 'string', description: 'sha256 of the public key (SubjectPublicKeyInfo, DER), hex.' },
          value: { type: 'string', description: 'base64 of the signature.' },
        },
      }),
    },
  },
  DeletionRecord: {
    type: 'object',
    required: [
      'version',
      'tenant',
      'cluster',
      'namespaces',
      'requestedBy',
      'requestedAt',
      'approvedBy',
      'pullRequest',
      'suspension',
      'backup',
      'deleted',
      'checks',
      'startedAt',
      'completedAt',
    ],
    additionalProperties: false,
    properties: {
      version: { const: 1 },
      tenant: { type: 'string' },
      cluster: { type: 'string' },
      namespaces: { type: 'array', items: { type: 'string' } },
      requestedBy: { type: 'string' },
      requestedAt: { type: 'string', format: 'date-time' },
      approvedBy: { type: ['string', 'null'] },
      pullRequest: {
        type: 'object',
        required: ['number', 'url', 'mergeCommit', 'mergedBy'],
        additionalProperties: false,
        properties: {
          number: { type: ['integer', 'null'] },
          url: { type: ['string', 'null'] },
          mergeCommit: { type: ['string', 'null'] },
          mergedBy: { type: ['string', 'null'] },
        },
      },
      suspension: nullable({
        type: 'object',
        required: ['at', 'namespaces', 'stopped'],
        additionalProperties: false,
        properties: {
          at: { type: 'string', format: 'date-time' },
          namespaces: { type: 'array', items: { type: 'string' } },
          stopped: { type: 'array', items: { type: 'string' } },
        },
      }),
      backup: nullable({
        type: 'object',
        required: ['name', 'namespace', 'storageLocation', 'location', 'phase', 'includedNamespaces'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          storageLocation: { type: 'string' },
          location: { type: 'string' },
          phase: { type: 'string' },
          includedNamespaces: { type: 'array', items: { type: 'string' } },
          expiration: { type: ['string', 'null'] },
          startTimestamp: { type: ['string', 'null'] },
          completionTimestamp: { type: ['string', 'null'] },
          itemsBackedUp: { type: ['integer', 'null'] },
        },
      }),
      deleted: { type: 'array', items: { type: 'string' } },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'passed', 'detail'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, passed: { type: 'boolean' }, detail: { type: 'string' } },
        },
      },
      startedAt: { type: 'string', format: 'date-time' },
      completedAt: { type: 'string', format: 'date-time' },
    },
  },
  Token: {
    type: 'object',
    required: ['token', 'expiresAt'],
    additionalProperties: false,
    properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
  },
  Callback: {
    description:
      'What the service POSTs to the callback URL; signed in X-Tenant-Gitops-Signature (t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">).',
    type: 'object',
    required: ['id', 'type', 'tenant', 'createdAt', 'data'],
    properties: {
      id: { type: 'string', description: 'Event id: deduplicate on it (delivery is at-least-once).' },
      type: { type: 'string', enum: [...EVENT_TYPES] },
      tenant: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      data: { type: 'object' },
    },
  },
  Status: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string' }, failing: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  WebhookAck: {
    type: 'object',
    required: ['delivery', 'status'],
    properties: { delivery: { type: 'string' }, status: { enum: ['accepted', 'duplicate'] } },
  },
};
