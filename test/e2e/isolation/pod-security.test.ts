// Pod Security "restricted" is enforced in every namespace of every example tenant: the API server
// itself refuses privileged, hostPath and root pods (server-side dry run: full admission, nothing stored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { tenantNamespaces } from '../../../src/tenant/names.ts';
import { probeControlPlane } from '../../fixtures/control-plane.ts';
import { apiMessageOf, statusCodeOf } from '../support/kube-objects.ts';
import { exampleTenants } from '../support/platform-copy.ts';
import { restrictedPod, withContainer } from '../support/pods.ts';
import { setUpTenants, type TenantEnvironment } from '../support/tenant-environment.ts';

const probe = await probeControlPlane();
const tenants = await exampleTenants();
const cases = tenants.flatMap((t) => tenantNamespaces(t).map((namespace) => ({ tenant: t.name, namespace })));

async function dryRunCreate(pod: V1Pod): Promise<{ code: number | undefined; message: string }> {
  const core = probe.kc!.makeApiClient(CoreV1Api);
  try {
    await core.createNamespacedPod({ namespace: pod.metadata!.namespace!, body: pod, dryRun: 'All' });
    return { code: 201, message: 'created' };
  } catch (error) {
    return { code: statusCodeOf(error), message: apiMessageOf(error) };
  }
}

describe.skipIf(probe.kc === undefined)(
  `Pod Security in tenant namespaces${probe.skipReason ? ` (skipped: ${probe.skipReason})` : ''}`,
  () => {
    let env: TenantEnvironment;
    beforeAll(async () => {
      env = await setUpTenants(probe.kc!, tenants);
    });
    afterAll(async () => {
      await env?.remove();
    });

    describe.each(cases)('$namespace ($tenant)', ({ namespace }) => {
      const base = (): V1Pod => restrictedPod({ name: 'pss-probe', namespace });

      it('GIVEN a pod that meets "restricted" WHEN created THEN it is admitted (the control case)', async () => {
        expect(await dryRunCreate(base())).toEqual({ code: 201, message: 'created' });
      });

      it('GIVEN a privileged container WHEN created THEN Pod Security refuses it', async () => {
        const pod = withContainer(base(), (c) => {
          // privileged implies privilege escalation; the API rejects the pair "privileged, no escalation" as invalid.
          c.securityContext = { ...c.securityContext, privileged: true, allowPrivilegeEscalation: true };
        });
        const result = await dryRunCreate(pod);
        expect(result.code).toBe(403);
        expect(result.message).toMatch(/violates PodSecurity "restricted:v1\.34".*privileged/);
      });

      it('GIVEN a hostPath volume WHEN created THEN Pod Security refuses it', async () => {
        const pod = base();
        pod.spec!.volumes = [{ name: 'host', hostPath: { path: '/etc' } }];
        pod.spec!.containers[0]!.volumeMounts = [{ name: 'host', mountPath: '/host' }];
        const result = await dryRunCreate(pod);
        expect(result.code).toBe(403);
        expect(result.message).toMatch(/violates PodSecurity "restricted:v1\.34".*hostPath/);
      });

      it('GIVEN a pod running as root WHEN created THEN Pod Security refuses it', async () => {
        const pod = base();
        pod.spec!.securityContext = { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } };
        const result = await dryRunCreate(pod);
        expect(result.code).toBe(403);
        expect(result.message).toMatch(/violates PodSecurity "restricted:v1\.34".*(runAsNonRoot|runAsUser=0)/);
      });
    });
  },
);
