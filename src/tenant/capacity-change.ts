// The capacity gate as the onboarding service applies it: to one tenant's change, compared with the
// same cluster before the change.
import type { FieldIssue } from '../shared/errors.ts';
import type { CapacityReport } from './capacity.ts';

/**
 * The refusals a change is answerable for (the onboarding service judges one tenant's change, not
 * the fleet): each pool and resource over capacity whose granted sum the change raised, and any
 * other refusal the report before the change did not have. A change that lowers or keeps what a
 * pool grants is never refused, even on a cluster already oversubscribed by hand.
 */
export function refusalsOfChange(before: CapacityReport, after: CapacityReport): FieldIssue[] {
  const grantedBefore = new Map(
    before.usage.flatMap((u) => u.resources.map((r) => [`${u.cluster}/${u.kind}/${r.resource}`, r.granted] as const)),
  );
  const rows = after.usage.flatMap((u) =>
    u.resources.flatMap((r) =>
      r.issue && r.granted > (grantedBefore.get(`${u.cluster}/${u.kind}/${r.resource}`) ?? 0n) ? [r.issue] : [],
    ),
  );
  const onRows = new Set(after.usage.flatMap((u) => u.resources.flatMap((r) => (r.issue ? [r.issue] : []))));
  const known = new Set(before.issues.map((i) => i.message));
  return [...rows, ...after.issues.filter((i) => !onRows.has(i) && !known.has(i.message))];
}
