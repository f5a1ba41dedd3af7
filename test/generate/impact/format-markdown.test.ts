// GIVEN impact reports WHEN they are formatted as the pull-request comment THEN untrusted values
// cannot break out of their code spans or table cells (or ping anyone), the fleet table folds
// tenant-derived names, and the comment never exceeds GitHub's limit, saying what it left out.
import { describe, expect, it } from 'vitest';
import { code } from '../../../src/shared/markdown.ts';
import {
  fieldChanges,
  formatImpactMarkdown,
  IMPACT_COMMENT_MARKER,
  MAX_COMMENT_CHARS,
  type ImpactReport,
  type TenantImpact,
} from '../../../src/generate/impact/index.ts';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

function report(changed: TenantImpact[], unchanged = 0): ImpactReport {
  return {
    base: { ref: 'origin/main', commit: COMMIT },
    tenants: { total: changed.length + unchanged, changed: changed.length, unchanged, failed: 0 },
    changed,
    failures: [],
  };
}

function quotaChange(tenant: string, after: unknown): TenantImpact {
  return {
    tenant,
    change: 'changed',
    objects: [
      {
        change: 'changed',
        source: `overlays/${tenant}`,
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        namespace: `tenant-${tenant}`,
        name: 'tenant-quota',
        fields: [{ path: 'spec.hard.pods', before: '10', after }],
      },
      {
        change: 'added',
        source: `argocd/tenants/${tenant}.yaml`,
        apiVersion: 'v1',
        kind: 'Namespace',
        name: `tenant-${tenant}-dev`,
        fields: undefined,
      },
    ],
  };
}

/** The cells of a GFM table row, split where GitHub splits them: on pipes not escaped by `\`. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('formatImpactMarkdown', () => {
  it('GIVEN a value with pipes, backticks, HTML and an @mention WHEN formatted THEN it stays one code span in its own cell', () => {
    const hostile = 'a | b `c` ``d`` <img src=x onerror=alert(1)> @platform-team **bold**';
    const text = formatImpactMarkdown(report([quotaChange('acme', hostile)]));
    const row = text.split('\n').find((line) => line.startsWith('| changed | `ResourceQuota` `tenant-acme/'))!;
    expect(cells(row)).toHaveLength(6);
    const after = cells(row)[5]!;
    // The one escaper (shared/markdown.ts) shows it as a quoted literal: no backtick or pipe is left raw.
    expect(after).toBe(code(JSON.stringify(hostile)));
    expect(after.slice(1, -1)).not.toMatch(/[`|]/);
    // Outside code spans there is no raw HTML and no mention left.
    const outsideCode = text.replace(/(`+)[\s\S]*?\1/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toContain('@platform-team');
  });

  it('GIVEN a name that starts with a backtick WHEN formatted THEN it is shown escaped, in one code span of its own cell', () => {
    const tenant = quotaChange('acme', '20');
    tenant.objects[1]!.name = '`tick';
    const text = formatImpactMarkdown(report([tenant]));
    expect(text).toContain('| added | `Namespace` `"\\u{60}tick"` | `argocd/tenants/acme.yaml` |');
  });

  it('GIVEN changes in several tenants WHEN formatted THEN the first line is the marker and the fleet table has one row per change with tenant-derived names folded', () => {
    const text = formatImpactMarkdown(report([quotaChange('acme', '20'), quotaChange('globex', '30')], 5));
    expect(text.split('\n')[0]).toBe(IMPACT_COMMENT_MARKER);
    expect(text).toContain('**2 of 7 tenants change, 5 unchanged.**');
    expect(text).toContain('`origin/main` (`0123456789ab`)');
    expect(text).toContain('| changed | `ResourceQuota` `tenant-quota` | `spec.hard.pods` | 2: `acme`, `globex` | 2 |');
    expect(text).toContain('| added | `Namespace` `tenant-<tenant>-dev` |  | 2: `acme`, `globex` | 2 |');
    expect(text.match(/<details>/g)).toHaveLength(2);
    expect(text.match(/<\/details>/g)).toHaveLength(2);
    expect(text).not.toContain('Truncated');
  });

  it('GIVEN no tenant changes WHEN formatted THEN it says so under the headline', () => {
    const text = formatImpactMarkdown(report([], 3));
    expect(text).toContain('**0 of 3 tenants change, 3 unchanged.**');
    expect(text).toContain("No tenant's rendered objects change.");
  });

  it('GIVEN more changes than a comment can hold WHEN formatted THEN it stays under the limit, closes every section and says how many tenants it left out', () => {
    const many = Array.from({ length: 2_000 }, (_, i) => quotaChange(`tenant${i}`, String(i)));
    const text = formatImpactMarkdown(report(many));
    expect(text.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(text.length).toBeGreaterThan(MAX_COMMENT_CHARS - 2_000);
    const shown = text.match(/<details>/g)!.length;
    expect(text.match(/<\/details>/g)!.length).toBe(shown);
    // The last section shown may itself be cut, and the notice then counts its rows too.
    expect(text).toMatch(
      new RegExp(
        `_Truncated to fit a GitHub comment: ${2_000 - shown} more changed tenants( and \\d+ more table rows?)? left out\\.`,
      ),
    );
    expect(text.trimEnd().endsWith('(or `--json`)._')).toBe(true);
  });

  it('GIVEN one tenant with more rows than fit WHEN formatted THEN its rows are cut, its section still closes, and the notice counts the rows', () => {
    const huge = quotaChange('acme', '1');
    huge.objects[0]!.fields = Array.from({ length: 3_000 }, (_, i) => ({ path: `spec.hard.k${i}`, after: 'x' }));
    const text = formatImpactMarkdown(report([huge]), 20_000);
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text.trimEnd()).toMatch(/<\/details>\n\n_Truncated to fit a GitHub comment: \d+ more table rows left out\./);
  });
});

describe('fieldChanges', () => {
  it('GIVEN two objects WHEN compared THEN each differing path is named, with keys that are not identifiers quoted and arrays by index', () => {
    const before = { metadata: { labels: { 'a.b/c': 'x' } }, spec: { list: [1, 2, 3], same: { k: 1 } } };
    const after = { metadata: { labels: { 'a.b/c': 'y' } }, spec: { list: [1, 5], same: { k: 1 }, extra: true } };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'metadata.labels["a.b/c"]', before: 'x', after: 'y' },
      { path: 'spec.list[1]', before: 2, after: 5 },
      { path: 'spec.list[2]', before: 3 },
      { path: 'spec.extra', after: true },
    ]);
    expect(fieldChanges(before, structuredClone(before))).toEqual([]);
  });
});
