// The service's configuration: flags first, then environment, then defaults; validated with zod so
// a missing secret is reported by name at start-up, not at the first request. Secrets are read from
// the environment or files only (never flags: they would show in `ps`).
//
// GitHub authentication: a token (TENANT_GITOPS_GITHUB_TOKEN or GITHUB_TOKEN: a fine-grained PAT or
// an installation token with contents:write and pull_requests:write on the platform repository).
// A GitHub App is the recommended production identity; until App key exchange is built in, mint an
// installation token outside (e.g. a sidecar refreshing a Secret) and pass it as the token.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { platformRepoUrlFromEnv } from '../tenant/platform.ts';
import type { ApiToken } from './http/auth.ts';

export interface ServeConfig {
  host: string;
  port: number;
  databasePath: string;
  apiTokens: ApiToken[];
  bodyLimitBytes: number;
  github: {
    baseUrl: string;
    token: string;
    owner: string;
    repo: string;
    webhookSecret: string;
    platformRepoUrl?: string | undefined;
  };
  callback: { url: string; secret: string } | null;
  /** Path of a kubeconfig, `in-cluster`, or null for no cluster (watch, tokens and offboard deletes off). */
  cluster: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
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

const ConfigSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  databasePath: z.string().min(1),
  apiTokens: z
    .array(z.object({ name: z.string().min(1), token: z.string().min(16, 'use at least 16 characters') }))
    .min(1, 'set at least one API token'),
  bodyLimitBytes: z.coerce.number().int().min(1024),
  github: z.object({
    baseUrl: z.url(),
    token: z.string().min(1, 'set TENANT_GITOPS_GITHUB_TOKEN (or GITHUB_TOKEN)'),
    owner: z.string().min(1, 'set TENANT_GITOPS_GITHUB_REPO=owner/name'),
    repo: z.string().min(1, 'set TENANT_GITOPS_GITHUB_REPO=owner/name'),
    webhookSecret: z.string().min(16, 'set TENANT_GITOPS_WEBHOOK_SECRET (at least 16 characters)'),
    platformRepoUrl: z.string().min(1).optional(),
  }),
  callback: z
    .object({ url: z.url(), secret: z.string().min(16, 'set TENANT_GITOPS_CALLBACK_SECRET (at least 16 characters)') })
    .nullable(),
  cluster: z.string().min(1).nullable(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
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
  const candidate = {
    host: merged['TENANT_GITOPS_HOST'] ?? '0.0.0.0',
    port: merged['TENANT_GITOPS_PORT'] ?? '8080',
    databasePath: merged['TENANT_GITOPS_DB'] ?? 'data/onboarding.sqlite',
    apiTokens: readApiTokens(merged),
    bodyLimitBytes: merged['TENANT_GITOPS_BODY_LIMIT_BYTES'] ?? String(1024 * 1024),
    github: {
      baseUrl: merged['TENANT_GITOPS_GITHUB_URL'] ?? 'https://api.github.com',
      token: merged['TENANT_GITOPS_GITHUB_TOKEN'] ?? merged['GITHUB_TOKEN'] ?? '',
      owner: owner ?? '',
      repo: repo ?? '',
      webhookSecret: merged['TENANT_GITOPS_WEBHOOK_SECRET'] ?? '',
      platformRepoUrl: platformRepoUrlFromEnv(merged),
    },
    callback: callbackUrl ? { url: callbackUrl, secret: merged['TENANT_GITOPS_CALLBACK_SECRET'] ?? '' } : null,
    cluster: merged['TENANT_GITOPS_KUBECONFIG'] || null,
    logLevel: merged['TENANT_GITOPS_LOG_LEVEL'] ?? 'info',
  };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
      path: `config.${issue.path.join('.')}`,
      message: issue.message,
    }));
    throw new InputError(issues);
  }
  return parsed.data;
}

/**
 * API tokens as `name=token`, comma-separated in TENANT_GITOPS_API_TOKENS, or one per line in the
 * file TENANT_GITOPS_API_TOKENS_FILE (# starts a comment). The name is who the audit says asked.
 */
export function readApiTokens(env: Record<string, string | undefined>): ApiToken[] {
  const entries: string[] = [];
  const file = env['TENANT_GITOPS_API_TOKENS_FILE'];
  if (file) entries.push(...readFileSync(file, 'utf8').split('\n'));
  if (env['TENANT_GITOPS_API_TOKENS']) entries.push(...env['TENANT_GITOPS_API_TOKENS'].split(','));
  return entries
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((line, index) => {
      const at = line.indexOf('=');
      return at > 0
        ? { name: line.slice(0, at).trim(), token: line.slice(at + 1).trim() }
        : { name: `token-${index + 1}`, token: line };
    });
}
