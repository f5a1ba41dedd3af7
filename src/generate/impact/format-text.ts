// The human report of `tenantctl impact`: the headline, then each changed tenant with its objects
// (+ added, - removed, ~ changed) and, under a changed object, each field as before → after.
import { headline, objectLabel, shortCommit, showValue } from './display.ts';
import type { ImpactReport } from './impact.ts';
import type { ChangeKind } from './object-diff.ts';

const MARK: Record<ChangeKind, string> = { added: '+', removed: '-', changed: '~' };

export function formatImpactText(report: ImpactReport): string {
  const lines = [
    `tenant-gitops: impact against ${report.base.ref} (${shortCommit(report.base.commit)}): ${headline(report)}`,
  ];
  for (const f of report.failures) lines.push(`${f.tenant}: does not render at ${f.side}: ${f.message}`);
  for (const t of report.changed) {
    const what = t.change === 'changed' ? '' : ` (tenant ${t.change})`;
    lines.push(`${t.tenant}${what}: ${t.objects.length} ${t.objects.length === 1 ? 'object' : 'objects'}`);
    for (const o of t.objects) {
      lines.push(`  ${MARK[o.change]} ${objectLabel(o)} (${o.source})`);
      for (const field of o.fields ?? [])
        lines.push(`      ${field.path}: ${showValue(field.before)} → ${showValue(field.after)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
