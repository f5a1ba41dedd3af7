// How the service authenticates to GitHub, read from the environment: a token, or a GitHub App
// (id, private key, installation), exactly one of them. The App's key is read and parsed here, at
// start, so a key that is missing, unreadable or not an RSA private key stops the start naming the
// file, instead of the first tenant request failing. Also the pacing of content-creating requests.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.ts';
import { GITHUB_CONTENT_LIMITS } from '../shared/github-limits.ts';

export const APP_ENV = {
  id: 'TENANT_GITOPS_GITHUB_APP_ID',
  keyFile: 'TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY_FILE',
  key: 'TENANT_GITOPS_GITHUB_APP_PRIVATE_KEY',
  installation: 'TENANT_GITOPS_GITHUB_APP_INSTALLATION_ID',
} as const;

export const PACING_ENV = {
  perMinute: 'TENANT_GITOPS_GITHUB_CONTENT_PER_MINUTE',
  perHour: 'TENANT_GITOPS_GITHUB_CONTENT_PER_HOUR',
  windowScale: 'TENANT_GITOPS_GITHUB_CONTENT_WINDOW_SCALE',
} as const;

const APP_FIX =
  `set ${APP_ENV.id}, ${APP_ENV.keyFile} (or ${APP_ENV.key}) and ${APP_ENV.installation}; ` +
  'or use a token alone (TENANT_GITOPS_GITHUB_TOKEN)';

export const GitHubAppSchema = z.object({
  appId: z.union([
    z.coerce.number().int().positive(),
    z.string().regex(/^Iv[0-9A-Za-z.]+$/, `set ${APP_ENV.id} to the App's id (a number) or its client ID (Iv…)`),
  ]),
  privateKey: z.string().min(1),
  installationId: z.coerce
    .number({ message: `set ${APP_ENV.installation} to the installation's id (a number)` })
    .int(`set ${APP_ENV.installation} to the installation's id (a number)`)
    .positive(`set ${APP_ENV.installation} to the installation's id (a number)`),
});

const positive = (name: string) =>
  z.coerce.number({ message: `set ${name} to a positive number` }).positive(`set ${name} to a positive number`);
export const ContentPacingSchema = z.object({
  perMinute: positive(PACING_ENV.perMinute).int(`set ${PACING_ENV.perMinute} to a whole number`),
  perHour: positive(PACING_ENV.perHour).int(`set ${PACING_ENV.perHour} to a whole number`),
  windowScale: positive(PACING_ENV.windowScale),
});

export function readContentPacing(env: Record<string, string | undefined>) {
  return {
    perMinute: env[PACING_ENV.perMinute] || String(GITHUB_CONTENT_LIMITS.perMinute),
    perHour: env[PACING_ENV.perHour] || String(GITHUB_CONTENT_LIMITS.perHour),
    windowScale: env[PACING_ENV.windowScale] || '1',
  };
}

/**
 * The token or the App (candidates for the schema), and the issues only reading them can find:
 * neither or both configured, an App half configured, its key unreadable or not an RSA PEM.
 */
export function readGitHubAuth(env: Record<string, string | undefined>): {
  token?: string;
  app?: { appId: string; privateKey: string; installationId: string };
  issues: FieldIssue[];
} {
  const tokenVar = ['TENANT_GITOPS_GITHUB_TOKEN', 'GITHUB_TOKEN'].find((name) => env[name]);
  const appVars = Object.values(APP_ENV).filter((name) => env[name]);
  if (!tokenVar && appVars.length === 0)
    return {
      issues: [
        {
          path: 'config.github.token',
          message: 'set TENANT_GITOPS_GITHUB_TOKEN (or GITHUB_TOKEN), or a GitHub App',
          fix: `a token alone, or ${APP_FIX.split(';')[0]}`,
        },
      ],
    };
  if (tokenVar && appVars.length > 0)
    return {
      issues: [
        {
          path: 'config.github',
          message: `both a token (${tokenVar}) and a GitHub App (${appVars.join(', ')}) are set; exactly one is used`,
          fix: `unset ${tokenVar} to run as the App, or the App's variables to use the token`,
        },
      ],
    };
  if (tokenVar) return { token: env[tokenVar], issues: [] };

  const issues: FieldIssue[] = [];
  const missing = (path: string, name: string) =>
    issues.push({ path: `config.github.app.${path}`, message: `${name} is not set`, fix: APP_FIX });
  if (!env[APP_ENV.id]) missing('appId', APP_ENV.id);
  if (!env[APP_ENV.installation]) missing('installationId', APP_ENV.installation);
  const privateKey = readPrivateKey(env, issues);
  return {
    app: { appId: env[APP_ENV.id] ?? '', privateKey, installationId: env[APP_ENV.installation] ?? '' },
    issues,
  };
}

function readPrivateKey(env: Record<string, string | undefined>, issues: FieldIssue[]): string {
  const path = 'config.github.app.privateKey';
  const file = env[APP_ENV.keyFile];
  const inline = env[APP_ENV.key];
  if (file && inline) {
    issues.push({ path, message: `both ${APP_ENV.keyFile} and ${APP_ENV.key} are set`, fix: 'set one of them' });
    return '';
  }
  if (!file && !inline) {
    issues.push({ path, message: `${APP_ENV.keyFile} (or ${APP_ENV.key}) is not set`, fix: APP_FIX });
    return '';
  }
  const where = file ? `${APP_ENV.keyFile} (${file})` : APP_ENV.key;
  let pem: string;
  try {
    // A key pasted into one environment line has its line breaks written as \n.
    pem = file ? readFileSync(file, 'utf8') : inline!.replace(/\\n/g, '\n');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    issues.push({ path, message: `${where} cannot be read (${reason})`, fix: 'point it at the App private key file' });
    return '';
  }
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'rsa') {
    issues.push({
      path,
      message: `${where} is not an RSA private key in PEM${type ? ` (it is ${type})` : ''}`,
      fix: "use the .pem file GitHub generated in the App's settings (Private keys)",
    });
    return '';
  }
  return pem;
}
