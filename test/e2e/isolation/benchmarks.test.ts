// The Kubernetes multi-tenancy benchmarks (kubernetes-retired/multi-tenancy, benchmarks/kubectl-mtb),
// profile levels 1 and 2, ported check by check from their sources as cluster tests: each runs for
// every example tenant, as its tenant-admin ServiceAccount (a real token) and as each of its owners
// (impersonated as the spec names them), against the real API server. kubectl-mtb's own module is
// not served here, so what each check asks of the API server is redone with the typed clients; where
// a check needs running pods (default-deny across tenants) the test control plane has no kubelet, so
// the NetworkPolicies the API server holds are evaluated by an independent analyzer (cyclonus).
// Every refusal is paired with the legitimate version of the same request, which must be accepted.
import { describe, expect, it } from 'vitest';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { LABEL_MANAGED_BY, MANAGED_BY, rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import type { Manifest } from '../../../src/generate/validate/index.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { analyzeFlows, type Endpoint, type Flow } from '../../generate/validate/support/cyclonus.ts';
import { requestAsImpersonator } from '../support/impersonation.ts';
import { canI, outcomeOf, type KubeObject, type Outcome } from '../support/kube-objects.ts';
import { kubeconfigFile, kubectl } from '../support/kubectl.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod, withContainer } from '../support/pods.ts';
import { actorLabels, useTenantActors } from '../support/tenant-actors.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
interface Check {
  tenant: ResolvedTenant;
  /** Where the check acts: the tenant's root namespace. */
  namespace: string;
  kc: KubeConfig;
  admin: KubeConfig;
}

function expectRefused(result: Outcome, what: string): void {
  expect([403, 422], `${what} must be refused (${result.code}: ${result.message})`).toContain(result.code);
}

function expectAccepted(result: Outcome, what: string): void {
  expect(result.code === 200 ? 'accepted' : `${result.code}: ${result.message}`, what).toBe('accepted');
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of `items`. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Which of `verbs` on each resource (name or name.group) the identity may use, as "verb resource". */
async function grants(kc: KubeConfig, resources: string[], verbs: string[], namespace?: string): Promise<string[]> {
  const asks = resources.flatMap((resource) => verbs.map((verb) => ({ resource, verb })));
  const answers = await mapLimited(asks, 32, ({ resource, verb }) => {
    const [name, ...group] = resource.split('.');
    return canI(kc, { verb, resource: name, group: group.join('.'), ...(namespace ? { namespace } : {}) });
  });
  return asks.filter((_, i) => answers[i]).map(({ resource, verb }) => `${verb} ${resource}`);
}

/** Which of `verbs` on `resource` the identity may use in `namespace`. */
async function allowedVerbs(kc: KubeConfig, resource: string, verbs: string[], namespace?: string): Promise<string[]> {
  return (await grants(kc, [resource], verbs, namespace)).map((g) => g.split(' ')[0]!);
}

/** Which verbs on `resources` the identity's rules in `namespace` grant (SelfSubjectRulesReview). */
async function ruleGrants(kc: KubeConfig, resources: string[], namespace: string): Promise<string[]> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectRulesReview({
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
  });
  const rules = review.status?.resourceRules ?? [];
  const covers = (list: string[] | undefined, value: string): boolean =>
    !!list && (list.includes('*') || list.includes(value));
  return resources.flatMap((resource) => {
    const [name = '', ...group] = resource.split('.');
    return ALL_VERBS.filter((verb) =>
      rules.some((r) => covers(r.verbs, verb) && covers(r.apiGroups, group.join('.')) && covers(r.resources, name)),
    ).map((verb) => `${verb} ${resource}`);
  });
}

/** Every resource the API server serves (discovery, as the cluster admin), `name` or `name.group`. */
function apiResources(admin: KubeConfig, namespaced: boolean, verbs?: string): string[] {
  const args = ['api-resources', `--namespaced=${namespaced}`, '-o', 'name', ...(verbs ? [`--verbs=${verbs}`] : [])];
  const result = kubectl(kubeconfigFile(admin), args);
  if (result.status !== 0) throw new Error(`tenant-gitops: kubectl api-resources failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

const createPod = (c: Check, pod: V1Pod): Promise<Outcome> =>
  outcomeOf(() =>
    c.kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: c.namespace, body: pod, dryRun: 'All' }),
  );

const plainPod = (c: Check): V1Pod => restrictedPod({ name: 'mtb-probe', namespace: c.namespace });

/** A pod variant must be refused while the plain restricted pod is accepted. */
async function podVariantRefused(c: Check, what: string, variant: (pod: V1Pod) => V1Pod): Promise<void> {
  expectAccepted(await createPod(c, plainPod(c)), 'the plain restricted pod');
  expectRefused(await createPod(c, variant(plainPod(c))), what);
}

function withPodSpec(change: (spec: NonNullable<V1Pod['spec']>) => void): (pod: V1Pod) => V1Pod {
  return (pod) => {
    const copy = structuredClone(pod);
    change(copy.spec!);
    return copy;
  };
}

const withSecurity =
  (change: (sc: NonNullable<V1Pod['spec']>['containers'][number]['securityContext'] & object) => void) =>
  (pod: V1Pod): V1Pod =>
    withContainer(pod, (c) => {
      c.securityContext = { ...c.securityContext };
      change(c.securityContext);
    });

/** The hard keys of the ResourceQuotas the identity reads in its namespace. */
async function quotaKeys(c: Check): Promise<string[]> {
  const quotas = await c.kc.makeApiClient(CoreV1Api).listNamespacedResourceQuota({ namespace: c.namespace });
  return quotas.items.flatMap((q) => Object.keys(q.spec?.hard ?? {}));
}

interface Benchmark {
  id: string;
  /** The benchmark's folder in kubectl-mtb (ids repeat across folders there). */
  source: string;
  title: string;
  profile: 1 | 2;
  run(c: Check): Promise<void>;
}

const BENCHMARKS: Benchmark[] = [
  {
    id: 'MTB-PL1-CC-CPI-1',
    source: 'block_access_to_cluster_resources',
    title: 'Block access to cluster resources',
    profile: 1,
    async run(c) {
      // Kubernetes' bootstrap policy lets every authenticated user ask what it may do itself.
      const selfReviews = new Set([
        'selfsubjectaccessreviews.authorization.k8s.io',
        'selfsubjectrulesreviews.authorization.k8s.io',
        'selfsubjectreviews.authentication.k8s.io',
      ]);
      const resources = apiResources(c.admin, false);
      const granted = [
        ...(await grants(
          c.kc,
          resources.filter((r) => !selfReviews.has(r)),
          ALL_VERBS,
        )),
        ...(await grants(
          c.kc,
          [...selfReviews],
          ALL_VERBS.filter((v) => v !== 'create'),
        )),
      ];
      expect(granted).toEqual([]);
      // Control: the same review answers yes for what the tenant does own.
      expect(await allowedVerbs(c.kc, 'pods', ['create'], c.namespace)).toEqual(['create']);
    },
  },
  {
    id: 'MTB-PL1-BC-CPI-2',
    source: 'block_multitenant_resources',
    title: 'Block multitenant resources',
    profile: 1,
    async run(c) {
      // Every object the platform made in the namespace (as the cluster admin sees them) ...
      const kinds = apiResources(c.admin, true, 'list,delete').join(',');
      const listed = kubectl(kubeconfigFile(c.admin), [
        'get',
        kinds,
        '-n',
        c.namespace,
        '-l',
        `${LABEL_MANAGED_BY}=${MANAGED_BY}`,
        '-o',
        'json',
      ]);
      expect(listed.status, listed.stderr).toBe(0);
      const managed = (JSON.parse(listed.stdout) as { items: KubeObject[] }).items;
      expect(managed.map((o) => o.kind)).toEqual(
        expect.arrayContaining(['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'RoleBinding', 'ServiceAccount']),
      );
      // ... can be neither changed nor deleted by the tenant.
      const objects = KubernetesObjectApi.makeApiClient(c.kc);
      const changed: string[] = [];
      for (const object of managed) {
        const ref = { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata };
        const annotate = await outcomeOf(() =>
          objects.patch(
            { ...ref, metadata: { ...ref.metadata, annotations: { 'mtb.tenants.gitops.dev/probe': 'x' } } },
            undefined,
            'All',
            undefined,
            undefined,
            'application/merge-patch+json',
          ),
        );
        const remove = await outcomeOf(() => objects.delete(ref, undefined, 'All'));
        if (annotate.code === 200) changed.push(`annotate ${object.kind}/${object.metadata.name}`);
        if (remove.code === 200) changed.push(`delete ${object.kind}/${object.metadata.name}`);
      }
      // A collection delete is admitted object by object: the platform's objects stay.
      for (const path of [
        `/api/v1/namespaces/${c.namespace}/serviceaccounts`,
        `/apis/networking.k8s.io/v1/namespaces/${c.namespace}/networkpolicies`,
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${c.namespace}/rolebindings`,
      ]) {
        const selector = encodeURIComponent(`${LABEL_MANAGED_BY}=${MANAGED_BY}`);
        const response = await requestAsImpersonator(
          c.kc,
          { method: 'DELETE', path: `${path}?dryRun=All&labelSelector=${selector}` },
          {},
        );
        if (response.status < 400) changed.push(`deletecollection ${path}`);
      }
      expect(changed).toEqual([]);
      // Control: an object of its own is the tenant's to change and delete.
      const core = c.kc.makeApiClient(CoreV1Api);
      const own = { metadata: { name: 'mtb-own' }, data: { k: 'v' } };
      expectAccepted(
        await outcomeOf(() => core.createNamespacedConfigMap({ namespace: c.namespace, body: own, dryRun: 'All' })),
        'creating its own ConfigMap',
      );
    },
  },
  {
    id: 'MTB-PL1-BC-CPI-3',
    source: 'block_add_capabilities',
    title: 'Block add capabilities',
    profile: 1,
    run: (c) =>
      podVariantRefused(
        c,
        'a container adding SYS_ADMIN',
        withSecurity((sc) => {
          sc.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
        }),
      ),
  },
  {
    id: 'MTB-PL1-BC-CPI-4',
    source: 'require_run_as_non_root_user',
    title: 'Require run as non-root user',
    profile: 1,
    async run(c) {
      await podVariantRefused(
        c,
        'a pod without runAsNonRoot',
        withPodSpec((spec) => {
          delete spec.securityContext!.runAsNonRoot;
          delete spec.securityContext!.runAsUser;
        }),
      );
      await podVariantRefused(
        c,
        'a container running as uid 0',
        withSecurity((sc) => {
          sc.runAsUser = 0;
        }),
      );
    },
  },
  {
    id: 'MTB-PL1-BC-CPI-5',
    source: 'block_privileged_containers',
    title: 'Block privileged containers',
    profile: 1,
    run: (c) =>
      podVariantRefused(
        c,
        'a privileged container',
        withSecurity((sc) => {
          sc.privileged = true;
        }),
      ),
  },
  {
    id: 'MTB-PL1-BC-CPI-6',
    source: 'block_privilege_escalation',
    title: 'Block privilege escalation',
    profile: 1,
    run: (c) =>
      podVariantRefused(
        c,
        'a container allowing privilege escalation',
        withSecurity((sc) => {
          sc.allowPrivilegeEscalation = true;
        }),
      ),
  },
  {
    id: 'MTB-PL1-CC-TI-1',
    source: 'block_ns_quota',
    title: 'Block modification of resource quotas',
    profile: 1,
    async run(c) {
      expect(
        await allowedVerbs(
          c.kc,
          'resourcequotas',
          ['create', 'update', 'patch', 'delete', 'deletecollection'],
          c.namespace,
        ),
      ).toEqual([]);
      expect(await allowedVerbs(c.kc, 'resourcequotas', ['get', 'list'], c.namespace)).toEqual(['get', 'list']);
    },
  },
  {
    id: 'MTB-PL1-CC-TI-2',
    source: 'block_other_tenant_resources',
    title: 'Block access to other tenant resources (profile level 2)',
    profile: 2,
    async run(c) {
      // Every namespaced resource and verb, per foreign namespace: the authorizer's own rule list
      // for the identity there (SelfSubjectRulesReview), matched against discovery, plus direct
      // reviews of the objects an attacker wants most.
      const resources = apiResources(c.admin, true);
      const others = tenants.filter((t) => t.name !== c.tenant.name).flatMap((t) => tenantNamespaces(t));
      expect(others.length).toBeGreaterThan(0);
      const granted: string[] = [];
      for (const namespace of others) {
        granted.push(...(await ruleGrants(c.kc, resources, namespace)).map((g) => `${g} in ${namespace}`));
        const direct = ['secrets', 'pods', 'configmaps', 'serviceaccounts', 'rolebindings.rbac.authorization.k8s.io'];
        granted.push(...(await grants(c.kc, direct, ALL_VERBS, namespace)).map((g) => `${g} in ${namespace}`));
      }
      expect(granted).toEqual([]);
      // Control: the same review in its own namespace grants its workloads.
      expect(await ruleGrants(c.kc, ['deployments.apps'], c.namespace)).toEqual(
        ALL_VERBS.map((v) => `${v} deployments.apps`),
      );
    },
  },
  {
    id: 'MTB-PL2-CC-TI-1',
    source: 'block_role_privilege_escalation',
    title: 'Block role privilege escalation',
    profile: 2,
    async run(c) {
      expect(await allowedVerbs(c.kc, 'roles.rbac.authorization.k8s.io', ['escalate', 'bind'], c.namespace)).toEqual(
        [],
      );
      for (const role of ['cluster-admin', 'admin', 'edit'])
        expect(
          await canI(c.kc, {
            verb: 'bind',
            group: 'rbac.authorization.k8s.io',
            resource: 'clusterroles',
            name: role,
            namespace: c.namespace,
          }),
          `bind ClusterRole ${role}`,
        ).toBe(false);
      // Behaviour: a Role granting what the tenant lacks is refused by the escalation check, a Role
      // within its own rights is accepted.
      const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
      const role = (name: string, rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[]) =>
        outcomeOf(() =>
          rbac.createNamespacedRole({ namespace: c.namespace, body: { metadata: { name }, rules }, dryRun: 'All' }),
        );
      expectRefused(
        await role('mtb-everything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
        'a Role granting every verb on every resource',
      );
      expectAccepted(
        await role('mtb-pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
        'a Role to read its pods',
      );
    },
  },
  {
    id: 'MTB-PL1-BC-HI-1',
    source: 'block_use_of_host_path (and block_use_of_bind_mounts)',
    title: 'Block use of host path volumes',
    profile: 1,
    run: (c) =>
      podVariantRefused(
        c,
        'a hostPath volume',
        withPodSpec((spec) => {
          spec.volumes = [{ name: 'host', hostPath: { path: '/etc' } }];
          spec.containers[0]!.volumeMounts = [{ name: 'host', mountPath: '/host' }];
        }),
      ),
  },
  {
    id: 'MTB-PL1-BC-HI-3',
    source: 'block_use_of_host_networking_and_ports',
    title: 'Block use of host networking and ports',
    profile: 1,
    async run(c) {
      await podVariantRefused(
        c,
        'a pod on the host network',
        withPodSpec((spec) => {
          spec.hostNetwork = true;
        }),
      );
      await podVariantRefused(
        c,
        'a container with a host port',
        withPodSpec((spec) => {
          spec.containers[0]!.ports = [{ containerPort: 8086, hostPort: 8086 }];
        }),
      );
    },
  },
  {
    id: 'MTB-PL1-BC-HI-4',
    source: 'block_use_of_host_pid',
    title: 'Block use of host PID',
    profile: 1,
    run: (c) =>
      podVariantRefused(
        c,
        'a pod sharing the host PID namespace',
        withPodSpec((spec) => {
          spec.hostPID = true;
        }),
      ),
  },
  {
    id: 'MTB-PL1-BC-HI-5',
    source: 'block_use_of_host_ipc',
    title: 'Block use of host IPC',
    profile: 1,
    run: (c) =>
      podVariantRefused(
        c,
        'a pod sharing the host IPC namespace',
        withPodSpec((spec) => {
          spec.hostIPC = true;
        }),
      ),
  },
  {
    id: 'MTB-PL1-BC-HI-1 (NodePort)',
    source: 'block_use_of_nodeport_services',
    title: 'Block use of NodePort services',
    profile: 1,
    async run(c) {
      const labels = { 'app.kubernetes.io/name': 'mtb-probe' };
      const template = plainPod(c);
      expectAccepted(
        await outcomeOf(() =>
          c.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
            namespace: c.namespace,
            dryRun: 'All',
            body: {
              metadata: { name: 'mtb-probe' },
              spec: {
                replicas: 1,
                selector: { matchLabels: labels },
                template: { metadata: { labels }, spec: template.spec },
              },
            },
          }),
        ),
        'a Deployment',
      );
      const core = c.kc.makeApiClient(CoreV1Api);
      const service = (type: 'NodePort' | 'ClusterIP') =>
        outcomeOf(() =>
          core.createNamespacedService({
            namespace: c.namespace,
            dryRun: 'All',
            body: { metadata: { name: 'mtb-probe' }, spec: { type, selector: labels, ports: [{ port: 80 }] } },
          }),
        );
      expectRefused(await service('NodePort'), 'a NodePort Service');
      expectAccepted(await service('ClusterIP'), 'a ClusterIP Service');
    },
  },
  {
    id: 'MTB-PL1-CC-FNS-1',
    source: 'configure_ns_quotas',
    title: 'Configure namespace resource quotas',
    profile: 1,
    async run(c) {
      expect(await allowedVerbs(c.kc, 'resourcequotas', ['get', 'list'], c.namespace)).toEqual(['get', 'list']);
      const keys = await quotaKeys(c);
      for (const resource of ['cpu', 'memory', 'ephemeral-storage'])
        for (const side of ['requests', 'limits']) expect(keys).toContain(`${side}.${resource}`);
      expect(keys).toContain('requests.storage');
    },
  },
  {
    id: 'MTB-PL1-CC-FNS-2',
    source: 'configure_ns_object_quota',
    title: 'Configure namespace object limits',
    profile: 1,
    async run(c) {
      const keys = await quotaKeys(c);
      for (const key of [
        'pods',
        'services',
        'replicationcontrollers',
        'resourcequotas',
        'secrets',
        'configmaps',
        'persistentvolumeclaims',
        'services.nodeports',
        'services.loadbalancers',
      ])
        expect(keys).toContain(key);
    },
  },
  {
    id: 'MTB-PL2-BC-OPS-3',
    source: 'create_role_bindings',
    title: 'Create Role Bindings',
    profile: 2,
    async run(c) {
      for (const resource of ['roles.rbac.authorization.k8s.io', 'rolebindings.rbac.authorization.k8s.io'])
        expect(await allowedVerbs(c.kc, resource, ALL_VERBS, c.namespace), resource).toEqual(ALL_VERBS);
      const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
      const core = c.kc.makeApiClient(CoreV1Api);
      // A real Role (the binding's reference must resolve for the escalation check), then bindings.
      const role = {
        metadata: { name: 'mtb-pod-reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      };
      await rbac.createNamespacedRole({ namespace: c.namespace, body: role });
      await core.createNamespacedServiceAccount({ namespace: c.namespace, body: { metadata: { name: 'mtb-worker' } } });
      try {
        const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mtb-pod-reader' };
        const bind = (name: string, subjects: { kind: string; name: string; namespace?: string }[]) =>
          outcomeOf(() =>
            rbac.createNamespacedRoleBinding({
              namespace: c.namespace,
              dryRun: 'All',
              body: { metadata: { name }, roleRef, subjects },
            }),
          );
        expectAccepted(
          await bind('mtb-worker', [{ kind: 'ServiceAccount', name: 'mtb-worker', namespace: c.namespace }]),
          'a RoleBinding of its Role to its own ServiceAccount',
        );
      } finally {
        await rbac.deleteNamespacedRole({ name: 'mtb-pod-reader', namespace: c.namespace });
        await core.deleteNamespacedServiceAccount({ name: 'mtb-worker', namespace: c.namespace });
      }
    },
  },
  {
    id: 'MTB-PL2-BC-OPS-4',
    source: 'create_network_policies',
    title: 'Create Network Policies',
    profile: 2,
    async run(c) {
      expect(await allowedVerbs(c.kc, 'networkpolicies.networking.k8s.io', ALL_VERBS, c.namespace)).toEqual(ALL_VERBS);
      const web = { 'app.kubernetes.io/name': 'web' };
      const result = await outcomeOf(() =>
        c.kc.makeApiClient(NetworkingV1Api).createNamespacedNetworkPolicy({
          namespace: c.namespace,
          dryRun: 'All',
          body: {
            metadata: { name: 'mtb-web-from-api' },
            spec: {
              podSelector: { matchLabels: web },
              policyTypes: ['Ingress'],
              ingress: [{ _from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }] }],
            },
          },
        }),
      );
      expectAccepted(result, 'a NetworkPolicy between its own pods');
    },
  },
  {
    id: 'MTB-PL1-CC-DI-1',
    source: 'require_always_pull_image',
    title: 'Require always imagePullPolicy',
    profile: 1,
    async run(c) {
      const policy = (imagePullPolicy: string) => (pod: V1Pod) =>
        withContainer(pod, (container) => {
          container.imagePullPolicy = imagePullPolicy;
        });
      expectAccepted(await createPod(c, policy('Always')(plainPod(c))), 'a pod pulling Always');
      expectRefused(await createPod(c, policy('Never')(plainPod(c))), 'a pod with imagePullPolicy Never');
      expectRefused(await createPod(c, policy('IfNotPresent')(plainPod(c))), 'a pod with imagePullPolicy IfNotPresent');
    },
  },
  {
    id: 'MTB-PL1-BC-NI-1',
    source: 'default_deny_network_connections_across_tenants',
    title: 'Default deny network connections across tenants (profile level 2)',
    profile: 2,
    async run(c) {
      // The policies and namespace labels exactly as the API server holds them.
      const core = c.admin.makeApiClient(CoreV1Api);
      const pods: { tenant: string; pod: Endpoint }[] = [];
      const policies: Manifest[] = [];
      let n = 0;
      for (const t of tenants)
        for (const namespace of tenantNamespaces(t)) {
          const ns = await core.readNamespace({ name: namespace });
          n++;
          pods.push({
            tenant: t.name,
            pod: {
              namespace,
              namespaceLabels: ns.metadata?.labels ?? {},
              podLabels: { app: 'web' },
              ip: `192.168.${n}.10`,
            },
          });
          const list = kubectl(kubeconfigFile(c.admin), ['get', 'networkpolicies', '-n', namespace, '-o', 'json']);
          expect(list.status, list.stderr).toBe(0);
          policies.push(...(JSON.parse(list.stdout) as { items: Manifest[] }).items);
        }
      const mine = pods.filter((p) => p.tenant === c.tenant.name);
      const theirs = pods.filter((p) => p.tenant !== c.tenant.name);
      const ports: [Flow['protocol'], number][] = [
        ['TCP', 80],
        ['TCP', 443],
        ['TCP', 8080],
        ['TCP', 5432],
        ['UDP', 53],
      ];
      const across: Flow[] = [];
      for (const a of mine)
        for (const b of theirs)
          for (const [protocol, port] of ports) {
            across.push({ from: b.pod, to: a.pod, protocol, port }, { from: a.pod, to: b.pod, protocol, port });
          }
      const within: Flow[] = mine.map((a) => ({
        from: a.pod,
        to: mine[mine.length - 1]!.pod,
        protocol: 'TCP',
        port: 80,
      }));
      const verdicts = analyzeFlows(policies, [...across, ...within]);
      const allowedAcross = across.filter((_, i) => verdicts[i]);
      expect(
        allowedAcross.map(
          (f) =>
            `${(f.from as { namespace: string }).namespace} -> ${(f.to as { namespace: string }).namespace}:${f.port}`,
        ),
      ).toEqual([]);
      // Control: the tenant's own pods still reach each other.
      expect(verdicts.slice(across.length)).toEqual(within.map(() => true));
    },
  },
];

describe.skipIf(probe.kc === undefined)(
  `multi-tenancy benchmarks (kubectl-mtb, profile levels 1 and 2)${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    const { actor } = useTenantActors(() => probe.kc!, tenants);

    it('ports every benchmark of profile levels 1 and 2 once', () => {
      expect(new Set(BENCHMARKS.map((b) => b.id)).size).toBe(BENCHMARKS.length);
      expect(BENCHMARKS.filter((b) => b.profile === 1).length + BENCHMARKS.filter((b) => b.profile === 2).length).toBe(
        BENCHMARKS.length,
      );
    });

    describe.each(tenants.flatMap((t) => actorLabels(t).map((label) => ({ tenant: t, name: t.name, label }))))(
      '$name as $label',
      ({ tenant, label }) => {
        it.each(BENCHMARKS.map((b) => ({ ...b, label: `${b.id} ${b.title} [${b.source}]` })))(
          '$label',
          async (benchmark) => {
            await benchmark.run({
              tenant,
              namespace: rootNamespace(tenant.name),
              kc: actor(tenant.name, label).kc,
              admin: probe.kc!,
            });
          },
          120_000,
        );
      },
    );
  },
);
