// The sandbox (`npm run sandbox`, dev only): the whole onboarding path on one machine, on loopback only. It starts, in
// order, the control plane, a bare copy of the platform repository served by the local GitHub
// server, ArgoCD (where it can run here), and the onboarding service; then reports where they are.
// stop() tears everything down in reverse order, control plane included.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/shared/log.ts';
import { startSandboxArgoCD } from './argocd.ts';
import {
  inClusterRegistryFile,
  registerWithArgoCD,
  registryFiles,
  startTenantCluster,
  type TenantCluster,
} from './clusters.ts';
import { startSandboxControlPlane } from './control-plane.ts';
import { freeLoopbackPort } from './free-port.ts';
import { startSandboxGitHub } from './github.ts';
import { copyPlatformRepository, repositoryUrl } from './platform-repo.ts';
import { startSandboxService } from './service.ts';
import { Teardown } from './teardown.ts';

/** What the sandbox prints, as one JSON line, for a newcomer's curl commands. */
export interface SandboxInfo {
  /** Base URL of the onboarding service API. */
  api: string;
  /** Bearer token for the API. */
  token: string;
  /** Base URL of the local GitHub REST API. */
  github: string;
  /** owner/name of the platform repository on the local GitHub server. */
  repo: string;
  /** Each cluster's kubeconfig by its clusters/ name: `in-cluster` (ArgoCD's), then east-1, east-2… */
  clusters: Record<string, string>;
}

export interface SandboxOptions {
  /** The checkout whose committed platform tree is copied (and whose scripts/ are used). */
  checkout: string;
  log: Logger;
  /** Where the sandbox keeps its state; a fresh temp dir by default, removed on stop. */
  stateDir?: string;
  owner?: string;
  repo?: string;
  /** `auto` starts ArgoCD when scripts/argocd.sh can run it here; `off` never does. */
  argocd?: 'auto' | 'off';
  /** ArgoCD's 10 s test polling instead of its production defaults. @default false */
  argocdFast?: boolean;
  /**
   * How many clusters: ArgoCD's own (`in-cluster`) and N - 1 more control planes, each registered
   * with ArgoCD and in clusters/ (east-1, east-2…). @default 1
   */
  clusters?: number;
  /** Where progress for the person goes (stderr by default). */
  say?: (line: string) => void;
}

export interface Sandbox {
  info: SandboxInfo;
  stateDir: string;
  kubeconfig: string;
  /** Whether ArgoCD runs: when not, Applications must be driven by hand (or by a test). */
  argocdRunning: boolean;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const say = options.say ?? ((line: string) => process.stderr.write(`sandbox: ${line}\n`));
  const owner = options.owner ?? 'platform';
  const repoName = options.repo ?? 'tenants';
  const ownsStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'tenant-gitops-sandbox-')));
  const teardown = new Teardown();
  if (ownsStateDir) teardown.add('state directory', () => rm(stateDir, { recursive: true, force: true }));
  const log = options.log.child({ component: 'sandbox' });

  try {
    say(`state in ${stateDir}`);
    say('starting the control plane (etcd, kube-apiserver, kube-controller-manager)');
    const controlPlane = await startSandboxControlPlane({ checkout: options.checkout, stateDir });
    teardown.add('control plane', controlPlane.stop);

    const extra: TenantCluster[] = [];
    for (let i = 1; i < (options.clusters ?? 1); i++) {
      const name = `east-${i}`;
      say(`starting the control plane of cluster ${name}`);
      const cluster = await startTenantCluster({ checkout: options.checkout, dir: join(stateDir, name), name });
      teardown.add(`control plane of ${name}`, cluster.stop);
      await registerWithArgoCD(controlPlane.kubeconfig, cluster);
      extra.push(cluster);
    }

    say('copying the committed platform repository');
    const template = extra.length > 0 ? inClusterRegistryFile(options.checkout) : '';
    const platform = await copyPlatformRepository({
      checkout: options.checkout,
      bareDir: join(stateDir, 'github', owner, `${repoName}.git`),
      pointAtItself: true,
      replaceFiles: Object.assign({}, ...extra.map((cluster) => registryFiles(cluster, template))) as Record<
        string,
        string
      >,
    });
    log.info({ head: platform.head, folders: platform.folders }, 'platform repository copied');

    // The GitHub server needs the service's webhook URL up front, so the service's port is fixed first.
    const servicePort = await freeLoopbackPort();
    const webhookSecret = randomBytes(24).toString('hex');
    const github = await startSandboxGitHub({
      repoDir: platform.bareDir,
      owner,
      repo: repoName,
      webhookUrl: `http://127.0.0.1:${servicePort}`,
      webhookSecret,
    });
    teardown.add('GitHub server', github.stop);
    say(`GitHub API at ${github.url} serving ${owner}/${repoName}`);

    let argocdRunning = false;
    if (options.argocd !== 'off') {
      const argocd = await startSandboxArgoCD({
        checkout: options.checkout,
        stateDir,
        kubeconfig: controlPlane.kubeconfig,
        repoDir: platform.bareDir,
        fast: options.argocdFast ?? false,
        say,
      });
      if (argocd) {
        teardown.add('ArgoCD', argocd.stop);
        argocdRunning = true;
      }
    }

    const token = randomBytes(32).toString('base64url');
    const clusters = {
      'in-cluster': controlPlane.kubeconfig,
      ...Object.fromEntries(extra.map((c) => [c.name, c.kubeconfig])),
    };
    const service = await startSandboxService({
      port: servicePort,
      stateDir,
      token,
      kubeconfig: controlPlane.kubeconfig,
      githubUrl: github.url,
      githubToken: github.token,
      owner,
      repo: repoName,
      webhookSecret,
      platformRepoUrl: repositoryUrl(platform.bareDir),
      log: options.log,
      ...(extra.length > 0 ? { clusterKubeconfigs: clusters } : {}),
    });
    teardown.add('onboarding service', service.stop);
    say(`onboarding service at ${service.url}`);

    return {
      info: { api: service.url, token, github: github.url, repo: `${owner}/${repoName}`, clusters },
      stateDir,
      kubeconfig: controlPlane.kubeconfig,
      argocdRunning,
      stop: async () => {
        const failures = await teardown.run((name) => say(`stopping ${name}`));
        if (failures.length > 0)
          throw new Error(`tenant-gitops: the sandbox did not stop cleanly: ${failures.join('; ')}`);
      },
    };
  } catch (error) {
    say('start failed; stopping what was started');
    await teardown.run((name) => say(`stopping ${name}`));
    throw error;
  }
}
