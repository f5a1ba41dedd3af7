// The subset of an argoproj.io/v1alpha1 Application the service reads, validated with zod at the
// boundary: anything else ArgoCD puts in the object is ignored, and an object missing what we
// need is reported instead of crashing the watch.
import { z } from 'zod';
import { LABEL_TENANT } from '../../tenant/names.ts';

export const APPLICATION_GROUP = 'argoproj.io';
export const APPLICATION_VERSION = 'v1alpha1';
export const APPLICATION_PLURAL = 'applications';

/** What the service learns about a tenant's Application each time it changes. */
export interface ApplicationStatus {
  /** From the label tenants.gitops.dev/tenant. */
  tenant: string;
  /** metadata.name, `tenant-<name>` when the ApplicationSet made it. */
  application: string;
  /** status.health.status (Healthy, Progressing, Degraded, Missing, Suspended, Unknown). */
  health: string;
  /** status.sync.status (Synced, OutOfSync, Unknown). */
  sync: string;
  /** status.sync.revision: the git commit the Application is synced to, when known. */
  revision: string | null;
  /** When this process observed the change (ISO 8601). */
  observedAt: string;
}

const TrackedApplication = z.object({
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    resourceVersion: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  status: z
    .object({
      health: z.object({ status: z.string().optional() }).optional(),
      sync: z
        .object({
          status: z.string().optional(),
          revision: z.string().optional(),
          // Multi-source Applications report one revision per source.
          revisions: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});

export type TrackedApplication = z.infer<typeof TrackedApplication>;

export type ParsedApplication =
  | { ok: true; status: ApplicationStatus; resourceVersion: string | undefined }
  | { ok: false; name: string | undefined; problem: string };

/** Reads an Application from the API into an ApplicationStatus (pure: `observedAt` is passed in). */
export function parseApplication(object: unknown, observedAt: string): ParsedApplication {
  const parsed = TrackedApplication.safeParse(object);
  if (!parsed.success) {
    const name = (object as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    return {
      ok: false,
      name: typeof name === 'string' ? name : undefined,
      problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  }
  const app = parsed.data;
  const tenant = app.metadata.labels?.[LABEL_TENANT];
  if (!tenant) {
    return { ok: false, name: app.metadata.name, problem: `metadata.labels.${LABEL_TENANT} is missing or empty` };
  }
  const sync = app.status?.sync;
  return {
    ok: true,
    resourceVersion: app.metadata.resourceVersion,
    status: {
      tenant,
      application: app.metadata.name,
      // ArgoCD's own word for "not reported yet".
      health: app.status?.health?.status ?? 'Unknown',
      sync: sync?.status ?? 'Unknown',
      revision: sync?.revision ?? sync?.revisions?.[0] ?? null,
      observedAt,
    },
  };
}
