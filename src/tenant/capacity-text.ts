// How the capacity gate words what it finds: amounts as a person reads them (memory in Gi; cpu in
// cores and counts of pods, GPU slices and nodes as numbers; fractions such as an overcommitted pod
// to two places, rounded up), the largest grants, and a dedicated pool's refusal.
import type { FieldIssue } from '../shared/errors.ts';
import type { NodePool } from './clusters.ts';
import { clusterFilePath } from './names.ts';
import { TIER_POLICIES } from './tiers.ts';
import { TIERS } from './types.ts';

const NANO = 1_000_000_000n;
const GI = 1024n ** 3n * NANO;

/** `amount` (nano-units) of `resource` as a reviewer reads it. */
export function amountText(resource: string, amount: bigint): string {
  if (resource === 'requests.memory') return `${hundredths(amount, GI)}Gi`;
  return hundredths(amount, NANO);
}

/** `value / unit` with at most two decimals, rounded up (a capacity figure must never look smaller than it is). */
function hundredths(value: bigint, unit: bigint): string {
  const cents = (value * 100n + unit - 1n) / unit;
  const whole = cents / 100n;
  const fraction = cents % 100n;
  if (fraction === 0n) return whole.toLocaleString('en-US');
  return `${whole.toLocaleString('en-US')}.${fraction.toString().padStart(2, '0').replace(/0$/, '')}`;
}

/** `free 4, business 2, enterprise 1`. */
export function overcommitText(): string {
  return TIERS.map((t) => `${t} ${TIER_POLICIES[t].overcommit}`).join(', ');
}

/** The three largest grants, `acme 32, globex 4, initech 250m`, for the message of an oversubscribed pool. */
export function largestGrants(grants: readonly (readonly [string, bigint])[], resource: string): string {
  return [...grants]
    .sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x > y ? -1 : 1))
    .slice(0, 3)
    .map(([tenant, amount]) => `${tenant} ${amountText(resource, amount)}`)
    .join(', ');
}

/** A dedicated pool asked for more whole nodes than it has. */
export function dedicatedIssue(
  cluster: string,
  index: number,
  pool: NodePool,
  granted: bigint,
  asked: readonly (readonly [string, bigint])[],
): FieldIssue {
  const file = clusterFilePath(cluster);
  return {
    file,
    path: `nodePools[${index}].nodes`,
    message:
      `cluster "${cluster}", dedicated pool "${pool.name}": ${amountText('nodes', granted)} whole nodes asked ` +
      `(largest: ${largestGrants(asked, 'nodes')}) exceed its ${pool.nodes} nodes; each dedicated tenant gets whole nodes, at least one`,
    fix:
      `raise nodes of pool "${pool.name}" in ${file}, lower the dedicated tenants' quotas, ` +
      'or place a tenant on another cluster (spec.cluster)',
  };
}
