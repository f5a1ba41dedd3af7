// A real Vault for the tenant secrets tests: `vault server -dev` (built from its Go module by
// scripts/tools/vault.sh) on a free loopback port, its KV v2 mount `secret/` as dev mode makes it,
// and Kubernetes auth at `kubernetes/` verifying the control plane's ServiceAccount tokens through
// TokenReview with a reviewer ServiceAccount bound to system:auth-delegator, as the Vault docs set it up.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { toolPath } from '../../../src/shared/tools.ts';
import { requestServiceAccountToken } from './tokens.ts';
import { waitFor } from './tenant-environment.ts';

export interface VaultDev {
  address: string;
  rootToken: string;
  /** A Vault HTTP call with the root token (or `token`); the parsed body and status. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Why the Vault tests cannot run here, or undefined when the binary is built. */
export function vaultSkipReason(): string | undefined {
  return existsSync(toolPath('vault')) ? undefined : 'no vault binary (run bash scripts/tools/vault.sh)';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startVaultDev(): Promise<VaultDev> {
  const port = await freePort();
  const rootToken = randomBytes(16).toString('hex');
  const home = mkdtempSync(join(tmpdir(), 'tenant-gitops-vault-'));
  const address = `http://127.0.0.1:${port}`;
  let output = '';
  // HOME elsewhere: dev mode writes the root token to ~/.vault-token.
  const child: ChildProcess = spawn(
    toolPath('vault'),
    ['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, `-dev-root-token-id=${rootToken}`],
    { env: { PATH: process.env.PATH ?? '', HOME: home, VAULT_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const call: VaultDev['call'] = async (method, path, body, token = rootToken) => {
    const response = await fetch(`${address}/v1/${path}`, {
      method,
      headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  try {
    await waitFor(
      `Vault dev server on ${address}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`vault exited with ${child.exitCode}: ${output}`);
        return (await fetch(`${address}/v1/sys/health`).then(
          (r) => r.status,
          () => 0,
        )) === 200
          ? true
          : undefined;
      },
      60_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  return {
    address,
    rootToken,
    call,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

const REVIEWER_NAMESPACE = 'vault';
const REVIEWER = 'vault-token-reviewer';

/**
 * Kubernetes auth at auth/kubernetes/, verifying tokens of the control plane `kc` talks to. Returns
 * what to remove afterwards (the reviewer's namespace and ClusterRoleBinding).
 */
export async function enableKubernetesAuth(vault: VaultDev, kc: KubeConfig): Promise<() => Promise<void>> {
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: REVIEWER_NAMESPACE } } });
  await core.createNamespacedServiceAccount({ namespace: REVIEWER_NAMESPACE, body: { metadata: { name: REVIEWER } } });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: REVIEWER },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [{ kind: 'ServiceAccount', name: REVIEWER, namespace: REVIEWER_NAMESPACE }],
    },
  });
  const cluster = kc.getCurrentCluster()!;
  const ca = cluster.caData
    ? Buffer.from(cluster.caData, 'base64').toString('utf8')
    : readFileSync(cluster.caFile!, 'utf8');
  const reviewerJwt = await requestServiceAccountToken(kc, REVIEWER_NAMESPACE, REVIEWER, 3600);
  const ok = (r: { status: number; body: unknown }, what: string) => {
    if (r.status >= 300) throw new Error(`tenant-gitops: Vault refused ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  ok(await vault.call('POST', 'sys/auth/kubernetes', { type: 'kubernetes' }), 'enabling Kubernetes auth');
  ok(
    await vault.call('POST', 'auth/kubernetes/config', {
      kubernetes_host: cluster.server,
      kubernetes_ca_cert: ca,
      token_reviewer_jwt: reviewerJwt,
    }),
    'configuring Kubernetes auth',
  );
  return async () => {
    await rbac.deleteClusterRoleBinding({ name: REVIEWER }).catch(() => {});
    await core.deleteNamespace({ name: REVIEWER_NAMESPACE }).catch(() => {});
  };
}
