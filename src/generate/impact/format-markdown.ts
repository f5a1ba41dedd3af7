// The impact report as a pull-request comment: a marker line (the workflow finds its own earlier
// comment by it and edits that instead of adding another), the headline, the fleet table, then one
// collapsed section per changed tenant. It never exceeds GitHub's comment limit: what does not fit
// is left out and a notice says how much and how to see all of it.
import { headline, objectPath, shortCommit, showRef, showValue } from './display.ts';
import { fleetSummary, type FleetRow } from './fleet-summary.ts';
import type { ImpactReport, TenantImpact } from './impact.ts';
import { GITHUB_LIMITS } from '../../shared/github-limits.ts';
import { code } from '../../shared/markdown.ts';
import { Budget, html } from './markdown-text.ts';

/** The first line of every impact comment. */
export const IMPACT_COMMENT_MARKER = '<!-- tenant-gitops: fleet impact -->';
/** GitHub refuses a comment body longer than this many characters. */
export const MAX_COMMENT_CHARS = GITHUB_LIMITS.bodyCharacters;
/** Room kept for the truncation notice (besides the ref it names). */
const NOTICE_RESERVE = 400;
/** Tenants named in a fleet row before "and N more". */
const TENANTS_PER_ROW = 5;
/** kustomize's messages are cut to this length in the comment. */
const MAX_MESSAGE_CHARS = 300;

function cell(text: string): string {
  return code(text);
}

function tenantList(row: FleetRow): string {
  const named = row.tenants.slice(0, TENANTS_PER_ROW).map(cell).join(', ');
  const more = row.tenants.length - TENANTS_PER_ROW;
  return `${row.tenants.length}: ${named}${more > 0 ? ` and ${more} more` : ''}`;
}

function fleetRow(row: FleetRow): string {
  return `| ${row.change} | ${cell(row.kind)} ${cell(row.name)} | ${row.field ? cell(row.field) : ''} | ${tenantList(row)} | ${row.objects} |\n`;
}

function tenantRows(t: TenantImpact): string[] {
  const rows: string[] = [];
  for (const o of t.objects) {
    const object = `${cell(o.kind)} ${cell(objectPath(o))}`;
    if (o.change !== 'changed') rows.push(`| ${o.change} | ${object} | ${cell(o.source)} | | | |\n`);
    for (const f of o.fields ?? [])
      rows.push(
        `| changed | ${object} | ${cell(o.source)} | ${cell(f.path)} | ${cell(showValue(f.before))} | ${cell(showValue(f.after))} |\n`,
      );
  }
  return rows;
}

const TENANT_TABLE_HEAD =
  '| change | object | rendered from | field | base | this pull request |\n|---|---|---|---|---|---|\n';
const FLEET_TABLE_HEAD = '| change | object | field | tenants | objects |\n|---|---|---|---:|---:|\n';

/** Adds a table row by row; returns how many rows did not fit. */
function addRows(out: Budget, rows: string[], keep: number): number {
  for (let i = 0; i < rows.length; i++) if (!out.add(rows[i]!, keep)) return rows.length - i;
  return 0;
}

export function formatImpactMarkdown(report: ImpactReport, limit = MAX_COMMENT_CHARS): string {
  const ref = showRef(report.base.ref);
  const out = new Budget(limit, NOTICE_RESERVE + ref.length);
  const base = `${code(ref)} (${code(shortCommit(report.base.commit))})`;
  out.force(
    `${IMPACT_COMMENT_MARKER}\n### Fleet impact\n\n**${headline(report)}.** Every tenant rendered with kustomize ` +
      `at ${base} and at this pull request; unchanged tenants are counted, not listed.\n\n`,
  );
  if (report.failures.length > 0) {
    out.add('> [!WARNING]\n> These tenants could not be compared: an overlay does not render.\n>\n');
    for (const f of report.failures) {
      const message = f.message.length > MAX_MESSAGE_CHARS ? `${f.message.slice(0, MAX_MESSAGE_CHARS)}…` : f.message;
      out.add(`> - ${code(f.tenant)} at ${f.side === 'base' ? 'the base' : 'this pull request'}: ${code(message)}\n`);
    }
    out.add('\n');
  }
  if (report.changed.length === 0) {
    out.add("No tenant's rendered objects change.\n");
    return out.toString();
  }
  let rowsLeftOut = 0;
  const fleet = fleetSummary(report);
  // The fleet table may take half the comment, so the tenants' sections always get the rest.
  const forTenants = Math.floor(limit / 2);
  if (out.add(`#### Across the fleet\n\n${FLEET_TABLE_HEAD}`, forTenants))
    rowsLeftOut += addRows(out, fleet.map(fleetRow), forTenants);
  else rowsLeftOut += fleet.length;
  out.add('\n#### By tenant\n\n');
  let tenantsLeftOut = 0;
  for (const t of report.changed) {
    const what = t.change === 'changed' ? '' : ` (tenant ${t.change})`;
    const count = `${t.objects.length} ${t.objects.length === 1 ? 'object' : 'objects'}`;
    const open = `<details><summary><code>${html(t.tenant)}</code>${what}: ${count}</summary>\n\n${TENANT_TABLE_HEAD}`;
    const close = '\n</details>\n\n';
    if (tenantsLeftOut > 0 || !out.add(open, close.length)) {
      tenantsLeftOut++;
      continue;
    }
    rowsLeftOut += addRows(out, tenantRows(t), close.length);
    out.force(close);
  }
  if (rowsLeftOut > 0 || tenantsLeftOut > 0) {
    const parts = [
      ...(tenantsLeftOut > 0 ? [`${tenantsLeftOut} more changed ${tenantsLeftOut === 1 ? 'tenant' : 'tenants'}`] : []),
      ...(rowsLeftOut > 0 ? [`${rowsLeftOut} more table ${rowsLeftOut === 1 ? 'row' : 'rows'}`] : []),
    ];
    out.force(
      `_Truncated to fit a GitHub comment: ${parts.join(' and ')} left out. The whole report: ` +
        `${code(`tenantctl impact --base ${ref}`)} (or ${code('--json')})._\n`,
    );
  }
  return out.toString();
}
