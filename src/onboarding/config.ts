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
 * file TENANT_GITOPS_API_TOKENS_FILE (a line starting with # is a comment). The name is who the
 * audit says asked. Read strictly: a token is one word (a `#` inside it is part of it), and a name
 * or a token given twice is refused, naming both places, so no caller silently shares another's.
 */
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
    const token = at > 0 ? line.slice(at + 1).trim() : line;
    const refuse = (message: string, fix: string) => issues.push({ path: where, message, fix });
    if (token === '' || /\s/.test(token))
      refuse('a token is one word, without spaces', 'write name=token; a comment is a whole line starting with #');
    else if (names.has(name))
      refuse(`the name "${name}" is already given at ${names.get(name)}`, 'give each token its own name');
    else if (values.has(token))
      refuse(`the same token is already given at ${values.get(token)}`, 'give each caller its own token');
    else {
      names.set(name, where);
      values.set(token, where);
      tokens.push({ name, token });
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return tokens;
}
