// Ingress hostname hijack on the shared controller, attacked as each example tenant would: with the
// tenant-admin ServiceAccount's real token (TokenRequest) and as each owner (impersonated through
// kubectl --as/--as-group, as RBAC sees a person). Another tenant's host, a wildcard it does not
// own, a host nobody owns, a rule without a host (the catch-all), a defaultBackend and a foreign
// IngressClass are refused by the ValidatingAdmissionPolicy `tenant-ingress`; the legitimate
// Ingress beside each attack is accepted. Server-side dry run: full admission, nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGRESS_CLASS_SHARED } from '../../../src/tenant/platform.ts';
import { ANNOTATION_INGRESS_HOSTS, rootNamespace, tenantNamespaces } from '../../../src/tenant/names.ts';
import { TIER_POLICIES } from '../../../src/tenant/tiers.ts';
import type { ResolvedTenant } from '../../../src/tenant/types.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { kubeconfigFile, kubectl } from '../support/kubectl.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { setUpTenants, type TenantEnvironment } from '../support/tenant-environment.ts';
import { kubeConfigForToken, requestServiceAccountToken } from '../support/tokens.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();

type Ingress = {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'Ingress';
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
};

/** Who sends the request: a kubeconfig file and kubectl's impersonation flags. */
interface Identity {
  label: string;
  kubeconfig: () => string;
  flags: string[];
}

const exact = (t: ResolvedTenant) => t.ingress.hosts.filter((h) => !h.startsWith('*.'));
const wildcards = (t: ResolvedTenant) => t.ingress.hosts.filter((h) => h.startsWith('*.'));
const backend = { service: { name: 'web', port: { number: 80 } } };
const rule = (host?: string) => ({
  ...(host === undefined ? {} : { host }),
  http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
});

/** The Ingress a tenant may create: its own hosts (and one name under each wildcard), an allowed class. */
function legitimate(t: ResolvedTenant, namespace: string): Ingress {
  const hosts = [...exact(t), ...wildcards(t).flatMap((w) => [w, `www${w.slice(1)}`])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'ingress-probe', namespace },
    spec: {
      ingressClassName: TIER_POLICIES[t.tier].ingressClasses[0],
      rules: hosts.map((h) => rule(h)),
      tls: [{ hosts, secretName: 'ingress-probe-tls' }],
    },
  };
}

interface Attack {
  what: string;
  /** Words the refusal must contain besides `tenant-gitops:`. */
  says: string;
  ingress(t: ResolvedTenant, namespace: string): Ingress;
}

function withSpec(base: Ingress, spec: Record<string, unknown>): Ingress {
  return { ...base, spec: { ...base.spec, ...spec } };
}

const others = (t: ResolvedTenant) => tenants.filter((o) => o.name !== t.name);
const foreignClasses = (t: ResolvedTenant) => [
  ...new Set(
    Object.values(TIER_POLICIES)
      .flatMap((p) => p.ingressClasses)
      .filter((c) => !TIER_POLICIES[t.tier].ingressClasses.includes(c)),
  ),
  'nginx',
];

const ATTACKS: Attack[] = [
  {
    what: "another tenant's exact hosts as rules",
    says: 'host',
    ingress: (t, ns) =>
      withSpec(legitimate(t, ns), { rules: others(t).flatMap((o) => exact(o).map((h) => rule(h))), tls: [] }),
  },
  {
    what: "a name under another tenant's wildcard",
    says: 'host',
    ingress: (t, ns) =>
      withSpec(legitimate(t, ns), {
        rules: others(t).flatMap((o) => wildcards(o).map((w) => rule(`hijack${w.slice(1)}`))),
        tls: [],
      }),
  },
  {
    what: 'a wildcard it does not own',
    says: 'host',
    ingress: (t, ns) => withSpec(legitimate(t, ns), { rules: [rule(`*.${t.name}.example`)], tls: [] }),
  },
  {
    what: 'two labels under its own wildcard (a wildcard matches one label)',
    says: 'host',
    ingress: (t, ns) =>
      withSpec(legitimate(t, ns), {
        rules: [rule(wildcards(t).length > 0 ? `a.b${wildcards(t)[0]!.slice(1)}` : `a.b.${exact(t)[0]}`)],
        tls: [],
      }),
  },
  {
    what: 'a host no tenant owns',
    says: 'host',
    ingress: (t, ns) => withSpec(legitimate(t, ns), { rules: [rule('unclaimed.example')], tls: [] }),
  },
  {
    what: "another tenant's host in tls only",
    says: 'tls',
    ingress: (t, ns) =>
      withSpec(legitimate(t, ns), { tls: [{ hosts: [exact(others(t)[0]!)[0]!], secretName: 'stolen' }] }),
  },
  {
    what: 'a rule without a host (the catch-all)',
    says: 'host',
    ingress: (t, ns) => withSpec(legitimate(t, ns), { rules: [rule()], tls: [] }),
  },
  {
    what: 'a defaultBackend',
    says: 'defaultBackend',
    ingress: (t, ns) => withSpec(legitimate(t, ns), { defaultBackend: backend }),
  },
  {
    what: 'a foreign IngressClass',
    says: 'IngressClass',
    ingress: (t, ns) => withSpec(legitimate(t, ns), { ingressClassName: foreignClasses(t)[0] }),
  },
  {
    // With the annotation the DefaultIngressClass plugin leaves the class unset, and the API server
    // refuses the annotation only beside spec.ingressClassName: so the attack drops the field.
    what: 'the legacy kubernetes.io/ingress.class annotation instead of a class',
    says: 'kubernetes.io/ingress.class',
    ingress: (t, ns) => {
      const { ingressClassName: _, ...spec } = legitimate(t, ns).spec;
      const base = { ...legitimate(t, ns), spec };
      return { ...base, metadata: { ...base.metadata, annotations: { 'kubernetes.io/ingress.class': 'nginx' } } };
    },
  },
];

describe.skipIf(probe.kc === undefined)(
  `Ingress hosts and classes${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    let env: TenantEnvironment;
    let admin: string;
    const tokenConfigs = new Map<string, string>();

    beforeAll(async () => {
      for (const t of tenants) expect(exact(t).length, `${t.name} owns an exact ingress host`).toBeGreaterThan(0);
      expect(
        tenants.some((t) => wildcards(t).length > 0),
        'an example tenant owns a wildcard',
      ).toBe(true);
      env = await setUpTenants(probe.kc!, tenants);
      admin = kubeconfigFile(probe.kc!);
      for (const t of tenants) {
        const token = await requestServiceAccountToken(probe.kc!, rootNamespace(t.name), 'tenant-admin');
        tokenConfigs.set(t.name, kubeconfigFile(kubeConfigForToken(probe.kc!, token)));
      }
    });
    afterAll(async () => {
      await env?.remove();
    });

    /** kubectl create --dry-run=server: null when admitted, else the API server's refusal. */
    function create(identity: Identity, ingress: Ingress): string | null {
      const result = kubectl(
        identity.kubeconfig(),
        [...identity.flags, 'create', '--dry-run=server', '-o', 'json', '-f', '-'],
        JSON.stringify(ingress),
      );
      return result.status === 0 ? null : result.stderr.trim();
    }

    const identities = (t: ResolvedTenant): Identity[] => [
      { label: 'tenant-admin ServiceAccount', kubeconfig: () => tokenConfigs.get(t.name)!, flags: [] },
      ...t.owners.map((o) => ({
        label: `owner ${o.kind} ${o.name}`,
        kubeconfig: () => admin,
        flags: o.kind === 'User' ? [`--as=${o.name}`] : ['--as=ingress-probe-person', `--as-group=${o.name}`],
      })),
    ];
    const cases = tenants.flatMap((t) => identities(t).map((identity) => ({ t, identity, who: identity.label })));

    it('GIVEN a stored Ingress whose host the tenant no longer owns WHEN it updates the Ingress THEN what it had is kept and a new foreign host is refused', () => {
      const t = tenants[0]!;
      const namespace = rootNamespace(t.name);
      const sa: Identity = { label: 'tenant-admin', kubeconfig: () => tokenConfigs.get(t.name)!, flags: [] };
      const as = (args: string[], input?: string) => kubectl(sa.kubeconfig(), args, input);
      expect(as(['create', '-f', '-'], JSON.stringify(legitimate(t, namespace))).stderr).toBe('');
      const annotate = (value: string) =>
        kubectl(admin, ['annotate', '--overwrite', 'namespace', namespace, `${ANNOTATION_INGRESS_HOSTS}=${value}`]);
      try {
        expect(annotate('moved.example').status).toBe(0);
        const label = as(['-n', namespace, 'label', 'ingress', 'ingress-probe', 'probe=kept']);
        expect(label.stderr).toBe('');
        const foreign = exact(others(t)[0]!)[0]!;
        const addHost = as([
          '-n',
          namespace,
          'patch',
          'ingress',
          'ingress-probe',
          '--type=json',
          '-p',
          JSON.stringify([{ op: 'add', path: '/spec/rules/-', value: rule(foreign) }]),
        ]);
        expect(addHost.status).not.toBe(0);
        expect(addHost.stderr).toMatch(
          new RegExp(`tenant-gitops: Ingress host ${foreign.replace(/[.*]/g, '\\$&')} in spec.rules`),
        );
      } finally {
        expect(annotate(t.ingress.hosts.join(',')).status).toBe(0);
        as(['-n', namespace, 'delete', 'ingress', 'ingress-probe', '--wait=false']);
      }
    });

    describe.each(cases.map((c) => ({ ...c, name: c.t.name })))('$name as $who', ({ t, identity }) => {
      it.each(tenantNamespaces(t))(
        'GIVEN its own hosts, one name under each owned wildcard and an allowed class WHEN it creates the Ingress in %s THEN it is accepted',
        (namespace) => {
          expect(create(identity, legitimate(t, namespace))).toBeNull();
        },
      );

      it.each(ATTACKS.map((a) => ({ ...a })))(
        'GIVEN $what WHEN it creates the Ingress THEN tenant-ingress refuses it, and the legitimate one is accepted',
        ({ ingress, says }) => {
          const namespace = rootNamespace(t.name);
          const refusal = create(identity, ingress(t, namespace));
          expect(refusal).toMatch(/tenant-gitops:/);
          expect(refusal).toContain(says);
          expect(create(identity, legitimate(t, namespace))).toBeNull();
        },
      );

      it('GIVEN no ingressClassName WHEN it creates the Ingress THEN DefaultIngressClass sets the default class and it is accepted', () => {
        const { ingressClassName, ...spec } = legitimate(t, rootNamespace(t.name)).spec;
        expect(ingressClassName).toBeDefined();
        const result = kubectl(
          identity.kubeconfig(),
          [...identity.flags, 'create', '--dry-run=server', '-o', 'json', '-f', '-'],
          JSON.stringify({ ...legitimate(t, rootNamespace(t.name)), spec }),
        );
        expect(result.stderr).toBe('');
        expect((JSON.parse(result.stdout) as Ingress).spec.ingressClassName).toBe(INGRESS_CLASS_SHARED);
      });
    });
  },
);
