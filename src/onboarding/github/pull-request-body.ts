// The reviewer's view of a tenant PR: warnings first, then every field of the tenant as a diff
// against main (tenant-diff.ts), then what ArgoCD will create. The view model is computed here
// (pure); every value in it is already Markdown from markdown.ts, which is why the template is
// compiled without Handlebars' HTML escaping (its entities would show as text inside code spans).
// This is the full review text: openTenantPullRequest fits it to GitHub's body limit and keeps the
// whole of it in the commit message.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { parseTenantYaml } from '../../tenant/parse.ts';
import { applicationName, appProjectName, overlayDir, tenantNamespaces, tenantSpecPath } from '../../tenant/names.ts';
import type { ResolvedTenant } from '../../tenant/types.ts';
import { code, parts } from '../../shared/markdown.ts';
import type { PoolUsage } from '../../tenant/capacity.ts';
import { headroomView } from './headroom.ts';
import { reviewWarnings } from './review-warnings.ts';
import { diffTenant, type Change, type DiffSection } from './tenant-diff.ts';

export interface PullRequestBodyInput {
  action: 'create' | 'update' | 'offboard';
  tenant: ResolvedTenant;
  /** The tenant as it is on the default branch, for "change from main"; absent on create. */
  previous?: ResolvedTenant | null;
  /** Or the tenant's YAML as it is on the default branch (readDefaultBranchFile); parsed here. */
  previousSpec?: string | null;
  /** What the tenant's pools grant and hold after the change (tenant/capacity.ts); absent: no table. */
  headroom?: PoolUsage | null;
}

const template = Handlebars.compile(readFileSync(new URL('./pull-request-body.hbs', import.meta.url), 'utf8'), {
  strict: true,
  noEscape: true,
});

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  return `${template(pullRequestView(input)).trim()}\n`;
}

const VERB = { create: 'Onboard', update: 'Change', offboard: 'Offboard' } as const;
const MARKER: Record<Change, string> = {
  added: '**added**',
  removed: '**removed**',
  changed: '**changed**',
  unchanged: '',
};
const ABSENT = '—';

export function pullRequestView(input: PullRequestBodyInput) {
  const { action, tenant } = input;
  const previous = action === 'create' ? null : (input.previous ?? previousFromYaml(input.previousSpec, tenant.name));
  const sections = diffTenant(
    action === 'offboard' ? (previous ?? tenant) : previous,
    action === 'offboard' ? null : tenant,
  );
  const namespaces = tenantNamespaces(tenant).map((ns) => code(ns));
  return {
    heading: `${VERB[action]} tenant ${code(tenant.name)}`,
    warnings: reviewWarnings({ action, tenant, previous }),
    offboard:
      action === 'offboard'
        ? {
            application: code(applicationName(tenant.name)),
            project: code(appProjectName(tenant.name)),
            overlay: code(`${overlayDir(tenant.name)}/`),
            spec: code(tenantSpecPath(tenant.name)),
            namespaces,
          }
        : null,
    summary: summary(action, tenant.name, previous, sections),
    sections: sections.map((section) => ({
      title: section.title,
      key: section.key,
      rows: section.rows.map((row) => ({
        change: MARKER[row.change],
        key: parts(row.key),
        before: row.before ? parts(row.before) : ABSENT,
        after: row.after ? parts(row.after) : ABSENT,
      })),
    })),
    headroom: input.headroom && action !== 'offboard' ? headroomView(input.headroom) : null,
    argocd:
      action === 'create'
        ? {
            application: code(applicationName(tenant.name)),
            project: code(appProjectName(tenant.name)),
            overlay: code(`${overlayDir(tenant.name)}/`),
            namespaces,
          }
        : null,
  };
}

function summary(
  action: PullRequestBodyInput['action'],
  name: string,
  previous: ResolvedTenant | null,
  sections: DiffSection[],
): string {
  const counts: Record<Change, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const row of sections.flatMap((s) => s.rows)) counts[row.change] += 1;
  const tally = (Object.keys(counts) as Change[]).map((c) => `${counts[c].toLocaleString('en-US')} ${c}`).join(', ');
  if (action === 'offboard') return `Every row below is removed (${tally}).`;
  if (previous === null) return `Every row below is added: the tenant is not on the default branch yet (${tally}).`;
  return `Compared with ${code(tenantSpecPath(name))} on the default branch: ${tally}.`;
}

/**
 * Main's copy of the spec, resolved the same way as the new one. A copy that no longer parses
 * (older schema) gives no comparison rather than a failed PR: the body then says so at the top.
 */
function previousFromYaml(text: string | null | undefined, name: string): ResolvedTenant | null {
  if (!text) return null;
  try {
    return parseTenantYaml(text, { file: tenantSpecPath(name), expectedName: name }).tenant;
  } catch {
    return null;
  }
}
