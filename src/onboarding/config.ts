// The service's configuration: flags first, then environment, then defaults; validated with zod so
// a missing secret is reported by name at start-up, not at the first request. Secrets are read from
// the environment or files only (never flags: they would show in `ps`).
//
// GitHub authentication, exactly one of (config-github.ts):
// - a GitHub App, the recommended production identity: TENANT_GITOPS_GITHUB_APP_ID, the private key
//   (TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE, or TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY) and
//   TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID. The service exchanges its JWT for installation tokens
//   and replaces each before it expires (github/app-auth.ts);
// - a token (TENANT_GITOPS_GITHUB_TOKEN or GITHUB_TOKEN): a fine-grained PAT, or an installation
//   token minted elsewhere, with contents:write and pull_requests:write on the platform repository.
// Content-creating requests are paced under GitHub's secondary limit (80 a minute, 500 an hour;
// TENANT_GITOPS_GITHUB_CONTENT_PER_MINUTE, _PER_HOUR, _WINDOW_SCALE).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { ContentPacingSchema, GitHubAppSchema, readContentPacing, readGitHubAuth } from './config-github.ts';
import { readClusterKubeConfigs, readVault } from './config-connections.ts';
import { platformRepoUrlFromEnv } from '../tenant/platform.ts';
import { readSigningKey } from './deletion-record.ts';
import type { ApiToken } from './http/auth.ts';
import { DEFAULT_TOKEN_LIMITS, type TokenLimits } from './http/rate-limit.ts';
import { parseScope, type Scope } from './http/scopes.ts';

export interface ServeConfig {
  host: string;
  port: number;
  databasePath: string;
  apiTokens: ApiToken[];
  bodyLimitBytes: number;
  github: {
    baseUrl: string;
    /** Exactly one of token and app. */
    token?: string | undefined;
    app?: { appId: number | string; privateKey: string; installationId: number } | undefined;
    owner: string;
    repo: string;
    webhookSecret: string;
    platformRepoUrl?: string | undefined;
    contentPacing: { perMinute: number; perHour: number; windowScale: number };
  };
  callback: { url: string; secret: string } | null;
  /** Path of a kubeconfig, `in-cluster`, or null for no cluster (watch, tokens and offboard deletes off). */
  cluster: string | null;
  /** Each registry cluster's kubeconfig (config-clusters.ts); empty: all tenants in ArgoCD's cluster. */
  clusterKubeConfigs: { cluster: string; kubeconfig: string }[];
  /**
   * The Vault an offboarding removes the tenant's role, policy and secrets from
   * (TENANT_GITOPS_VAULT_ADDR and TENANT_GITOPS_VAULT_TOKEN_FILE, both or neither); null: not done
   * by the service (the platform runs tenantctl vault apply --prune --purge-data).
   */
  vault: { address: string; token: string } | null;
  /**
   * The offboarding's final backup (TENANT_GITOPS_BACKUP_STORAGE_LOCATION turns it on; Velero in
   * TENANT_GITOPS_VELERO_NAMESPACE, kept TENANT_GITOPS_BACKUP_TTL) and the timeout of each of its
   * waits (TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS).
   */
  offboarding: {
    backup: { namespace: string; storageLocation: string; ttl: string } | null;
    timeoutMs: number;
  };
  /** PEM of the Ed25519 key deletion records are signed with (TENANT_GITOPS_DELETION_SIGNING_KEY_FILE). */
  deletionSigningKey: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** 2: offboarding needs a second token's approval. */
  offboardApprovals: 1 | 2;
  tokenLimits: TokenLimits;
  /**
   * Several replicas (TENANT_GITOPS_LEASE=namespace/name): the Lease electing the one that runs the
   * background loops, and this replica's name in it (TENANT_GITOPS_REPLICA, else the host name: a
   * pod's name). Null: one replica, which runs everything.
   */
  leaderElection: { namespace: string; name: string; identity: string; leaseDurationMs: number } | null;
}

const FLAGS: Record<string, string> = {
  '--host': 'TENANT_GITOPS_HOST',
  '--port': 'TENANT_GITOPS_PORT',
  '--db': 'TENANT_GITOPS_DB',
  '--api-tokens-file': 'TENANT_GITOPS_API_TOKENS_FILE',
  '--github-url': 'TENANT_GITOPS_GITHUB_URL',
  '--repo': 'TENANT_GITOPS_GITHUB_REPO',
  '--callback-url': 'TENANT_GITOPS_CALLBACK_URL',
  '--kubeconfig': 'TENANT_GITOPS_KUBECONFIG',
  '--log-level': 'TENANT_GITOPS_LOG_LEVEL',
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/;

const ConfigSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  databasePath: z.string().min(1),
  apiTokens: z
    .array(
      z.object({
        name: z.string().min(1),
        token: z.string().min(16, 'use at least 16 characters'),
        scopes: z.array(z.custom<Scope>()).min(1),
      }),
    )
    .min(1, 'set at least one API token'),
  bodyLimitBytes: z.coerce.number().int().min(1024),
  github: z.object({
    baseUrl: z.url(),
    token: z.string().min(1).optional(),
    app: GitHubAppSchema.optional(),
    owner: z.string().min(1, 'set TENANT_GITOPS_GITHUB_REPO=owner/name'),
    repo: z.string().min(1, 'set TENANT_GITOPS_GITHUB_REPO=owner/name'),
    webhookSecret: z.string().min(16, 'set TENANT_GITOPS_WEBHOOK_SECRET (at least 16 characters)'),
    platformRepoUrl: z.string().min(1).optional(),
    contentPacing: ContentPacingSchema,
  }),
  callback: z
    .object({ url: z.url(), secret: z.string().min(16, 'set TENANT_GITOPS_CALLBACK_SECRET (at least 16 characters)') })
    .nullable(),
  cluster: z.string().min(1).nullable(),
  clusterKubeConfigs: z.array(z.object({ cluster: z.string(), kubeconfig: z.string().min(1) })),
  vault: z
    .object({
      address: z.url({ protocol: /^https?$/, error: "set TENANT_GITOPS_VAULT_ADDR to Vault's http(s):// address" }),
      token: z.string().min(1, 'set TENANT_GITOPS_VAULT_TOKEN_FILE to a file holding a Vault token'),
    })
    .nullable(),
  offboarding: z.object({
    backup: z
      .object({
        namespace: z.string().regex(DNS_LABEL, 'set TENANT_GITOPS_VELERO_NAMESPACE to the namespace Velero runs in'),
        storageLocation: z
          .string()
          .regex(
            DNS_SUBDOMAIN,
            'set TENANT_GITOPS_BACKUP_STORAGE_LOCATION to the name of a Velero BackupStorageLocation',
          ),
        ttl: z
          .string()
          .regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'set TENANT_GITOPS_BACKUP_TTL to a Go duration, e.g. 720h'),
      })
      .nullable(),
    timeoutMs: z.coerce
      .number()
      .int()
      .min(1000, 'set TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS to at least 1')
      .max(24 * 3600_000, 'set TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS to at most 86400'),
  }),
  deletionSigningKey: z.string().nullable(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  offboardApprovals: z
    .enum(['1', '2'], 'set TENANT_GITOPS_OFFBOARD_APPROVALS to 1 or 2')
    .transform((n) => (n === '2' ? 2 : 1) as 1 | 2),
  leaderElection: z
    .object({
      namespace: z.string().regex(DNS_LABEL, 'set TENANT_GITOPS_LEASE=namespace/name (the Lease the replicas share)'),
      name: z.string().regex(DNS_SUBDOMAIN, 'set TENANT_GITOPS_LEASE=namespace/name (the Lease the replicas share)'),
      identity: z.string().min(1, 'set TENANT_GITOPS_REPLICA (this replica, e.g. the pod name)'),
      leaseDurationMs: z.coerce.number().int().min(3000, 'set TENANT_GITOPS_LEASE_DURATION_MS to at least 3000'),
    })
    .nullable(),
  tokenLimits: z.object({
    concurrency: z.coerce.number().int().min(1),
    ratePerSecond: z.coerce.number().positive(),
    burst: z.coerce.number().int().min(1),
  }),
});

/** Builds the configuration from command-line flags and an environment; throws InputError naming each problem. */
export function loadServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  const merged: Record<string, string | undefined> = { ...env };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split(/=(.*)/s, 2);
    const name = FLAGS[flag ?? ''];
    if (!name)
      throw new InputError([
        { path: `argv.${flag}`, message: 'unknown flag', fix: `use one of ${Object.keys(FLAGS).join(', ')}` },
      ]);
    merged[name] = inline ?? argv[++i];
  }
  const [owner, repo] = (merged['TENANT_GITOPS_GITHUB_REPO'] ?? '').split('/', 2);
  const callbackUrl = merged['TENANT_GITOPS_CALLBACK_URL'];
  const auth = readGitHubAuth(merged);
  const candidate = {
    host: merged['TENANT_GITOPS_HOST'] ?? '0.0.0.0',
    port: merged['TENANT_GITOPS_PORT'] ?? '8080',
    databasePath: merged['TENANT_GITOPS_DB'] ?? 'data/onboarding.sqlite',
    apiTokens: readApiTokens(merged),
    bodyLimitBytes: merged['TENANT_GITOPS_BODY_LIMIT_BYTES'] ?? String(1024 * 1024),
    github: {
      baseUrl: merged['TENANT_GITOPS_GITHUB_URL'] ?? 'https://api.github.com',
      token: auth.token,
      app: auth.app,
      owner: owner ?? '',
      repo: repo ?? '',
      webhookSecret: merged['TENANT_GITOPS_WEBHOOK_SECRET'] ?? '',
      platformRepoUrl: platformRepoUrlFromEnv(merged),
      contentPacing: readContentPacing(merged),
    },
    callback: callbackUrl ? { url: callbackUrl, secret: merged['TENANT_GITOPS_CALLBACK_SECRET'] ?? '' } : null,
    cluster: merged['TENANT_GITOPS_KUBECONFIG'] || null,
    clusterKubeConfigs: readClusterKubeConfigs(merged),
    vault: readVault(merged),
    offboarding: {
      backup: merged['TENANT_GITOPS_BACKUP_STORAGE_LOCATION']
        ? {
            namespace: merged['TENANT_GITOPS_VELERO_NAMESPACE'] || 'velero',
            storageLocation: merged['TENANT_GITOPS_BACKUP_STORAGE_LOCATION'],
            ttl: merged['TENANT_GITOPS_BACKUP_TTL'] || '720h',
          }
        : null,
      timeoutMs: Number(merged['TENANT_GITOPS_OFFBOARD_TIMEOUT_SECONDS'] || '600') * 1000,
    },
    deletionSigningKey: readDeletionSigningKey(merged),
    logLevel: merged['TENANT_GITOPS_LOG_LEVEL'] ?? 'info',
    offboardApprovals: merged['TENANT_GITOPS_OFFBOARD_APPROVALS'] ?? '1',
    leaderElection: readLeaderElection(merged),
    tokenLimits: {
      concurrency: merged['TENANT_GITOPS_TOKEN_CONCURRENCY'] ?? String(DEFAULT_TOKEN_LIMITS.concurrency),
      ratePerSecond: merged['TENANT_GITOPS_TOKEN_RATE'] ?? String(DEFAULT_TOKEN_LIMITS.ratePerSecond),
      burst: merged['TENANT_GITOPS_TOKEN_BURST'] ?? String(DEFAULT_TOKEN_LIMITS.burst),
    },
  };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success || auth.issues.length > 0) {
    // Reading the GitHub credentials already named what is wrong with them; the schema adds the rest.
    const named = new Set(auth.issues.map((issue) => issue.path));
    const issues: FieldIssue[] = [
      ...auth.issues,
      ...(parsed.error?.issues ?? [])
        .map((issue) => ({ path: `config.${issue.path.join('.')}`, message: issue.message }))
        .filter((issue) => !named.has(issue.path)),
    ];
    throw new InputError(issues);
  }
  return parsed.data;
}

/** The deletion signing key's PEM, checked to be an Ed25519 private key; null when not set. */
function readDeletionSigningKey(env: Record<string, string | undefined>): string | null {
  const file = env['TENANT_GITOPS_DELETION_SIGNING_KEY_FILE'];
  if (!file) return null;
  const refuse = (message: string): never => {
    throw new InputError([
      {
        path: 'TENANT_GITOPS_DELETION_SIGNING_KEY_FILE',
        message,
        fix: 'name a file holding an Ed25519 private key in PEM: openssl genpkey -algorithm ed25519 -out deletion-signing-key.pem',
      },
    ]);
  };
  let pem = '';
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    refuse(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    readSigningKey(pem);
  } catch (error) {
    refuse(`${file} is not an Ed25519 private key: ${(error as Error).message.replace(/^tenant-gitops: /, '')}`);
  }
  return pem;
}

/** ArgoCD's and client-go's usual lease: 15 s (a replica that dies is replaced within it). */
export const DEFAULT_LEASE_DURATION_MS = 15_000;

function readLeaderElection(env: Record<string, string | undefined>) {
  const lease = env['TENANT_GITOPS_LEASE'];
  if (!lease) return null;
  const [namespace = '', name = ''] = lease.split('/', 2);
  return {
    namespace,
    name,
    identity: env['TENANT_GITOPS_REPLICA'] ?? hostname(),
    leaseDurationMs: env['TENANT_GITOPS_LEASE_DURATION_MS'] ?? String(DEFAULT_LEASE_DURATION_MS),
  };
}

/**
 * API tokens as `name=token scope…`, comma-separated in TENANT_GITOPS_API_TOKENS, or one per line
 * in the file TENANT_GITOPS_API_TOKENS_FILE (a line starting with # is a comment). The name is who
 * the audit says asked; the scopes (`verb:tenants`, scopes.ts) are what it may do, and a token
 * without any is refused: no token can do everything by accident. Read strictly: a token is one
 * word (a `#` inside it is part of it), and a name or a token given twice is refused, naming both
 * places, so no caller silently shares another's.
 */
const SCOPE_FIX =
  'after the token, list what it may do as verb:tenants (verbs read, create, update, offboard, approve, token, audit or *; ' +
  'tenants *, a name, or a prefix like acme-*), e.g. backend=<token> create:* update:* offboard:* read:*';

export function readApiTokens(env: Record<string, string | undefined>): ApiToken[] {
  const entries: { text: string; where: string }[] = [];
  const file = env['TENANT_GITOPS_API_TOKENS_FILE'];
  if (file)
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => entries.push({ text, where: `TENANT_GITOPS_API_TOKENS_FILE (${file}) line ${i + 1}` }));
  (env['TENANT_GITOPS_API_TOKENS'] ?? '')
    .split(',')
    .forEach((text, i) => entries.push({ text, where: `TENANT_GITOPS_API_TOKENS entry ${i + 1}` }));
  const tokens: ApiToken[] = [];
  const issues: FieldIssue[] = [];
  const names = new Map<string, string>();
  const values = new Map<string, string>();
  for (const { text, where } of entries) {
    const line = text.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    const name = at > 0 ? line.slice(0, at).trim() : `token-${tokens.length + 1}`;
    const [token = '', ...scopeWords] = (at > 0 ? line.slice(at + 1) : line).trim().split(/\s+/);
    const refuse = (message: string, fix: string) => issues.push({ path: where, message, fix });
    const scopes: Scope[] = [];
    const scopeProblems: string[] = [];
    for (const word of scopeWords) {
      const scope = parseScope(word);
      if (typeof scope === 'string') scopeProblems.push(scope);
      else scopes.push(scope);
    }
    if (token === '') refuse('the token is empty', 'write name=token scope…, e.g. backend=<token> create:* read:*');
    else if (/^\S+:\S*$/.test(token) && scopeWords.length === 0)
      refuse('the token looks like a scope and no token is given', 'write name=token scope…');
    else if (scopeProblems.length > 0) refuse(scopeProblems.join('; '), SCOPE_FIX);
    else if (scopes.length === 0) refuse(`the token "${name}" has no scopes, so it could do nothing`, SCOPE_FIX);
    else if (names.has(name))
      refuse(`the name "${name}" is already given at ${names.get(name)}`, 'give each token its own name');
    else if (values.has(token))
      refuse(`the same token is already given at ${values.get(token)}`, 'give each caller its own token');
    else {
      names.set(name, where);
      values.set(token, where);
      tokens.push({ name, token, scopes });
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return tokens;
}
