// GIVEN base/platform/monitoring as kustomize renders it (render-overlays, as validate does) THEN the
// tenant dashboard is a ConfigMap for the Grafana sidecar holding the JSON file byte for byte, its
// `tenant` variable lists tenants from kube_namespace_labels, every panel query is filtered by it
// through the namespace-label join (the checker refuses each kind of bad panel), and every query
// parses as PromQL (promtool).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kustomizeDirectory, type Manifest } from '../../src/generate/validate/kustomize-overlays.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';
import { panelExpressions, tenantFilterProblems, type Dashboard } from './support/dashboard-tenant-filter.ts';
import { promtool } from './support/promtool.ts';

const NAMESPACE = 'gitops-monitoring';
const DASHBOARD_FILE = 'base/platform/monitoring/dashboards/tenant-overview.json';
const dashboardText = readFileSync(join(REPO_ROOT, DASHBOARD_FILE), 'utf8');
const dashboard = JSON.parse(dashboardText) as Dashboard;

let platform: Manifest[];
beforeAll(async () => {
  platform = await kustomizeDirectory(join(REPO_ROOT, 'base/platform'));
});

const find = (kind: string, name: string) =>
  platform.filter((o) => o.kind === kind && (o.metadata as { name: string }).name === name);

describe('base/platform/monitoring', () => {
  it('GIVEN base/platform rendered THEN the Namespace, the PrometheusRule and the dashboard ConfigMap are in gitops-monitoring', () => {
    expect(find('Namespace', NAMESPACE)).toHaveLength(1);
    const [rule] = find('PrometheusRule', 'tenant-quota');
    expect(rule?.metadata?.namespace).toBe(NAMESPACE);
    const [configMap] = find('ConfigMap', 'tenant-dashboard') as (Manifest & { data: Record<string, string> })[];
    expect(configMap, 'ConfigMap tenant-dashboard without a hash suffix').toBeDefined();
    expect(configMap!.metadata).toMatchObject({
      namespace: NAMESPACE,
      labels: { grafana_dashboard: '1', 'app.kubernetes.io/managed-by': 'tenant-gitops' },
    });
    expect(configMap!.data).toEqual({ 'tenant-overview.json': dashboardText });
  });
});

describe('the tenant dashboard', () => {
  it('GIVEN the dashboard JSON WHEN the checker reads it THEN it has the tenant variable and every panel query filters on it', () => {
    expect(tenantFilterProblems(dashboard)).toEqual([]);
    const titles = (dashboard as { panels: { title: string }[] }).panels.map((p) => p.title);
    for (const part of ['Quota used', 'Pods', 'CPU requests', 'Memory requests'])
      expect(
        titles.some((t) => t.includes(part)),
        `a panel titled …${part}…`,
      ).toBe(true);
  });

  it('GIVEN every panel query with a tenant in place of $tenant WHEN promtool checks them as rules THEN they parse', () => {
    const exprs = panelExpressions(dashboard);
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    const rules = exprs.map(({ expr }, i) => ({
      record: `dashboard:query_${i}`,
      expr: expr.replaceAll('$tenant', 'acme'),
    }));
    const result = promtool(['check', 'rules', 'rules.yaml'], {
      'rules.yaml': { groups: [{ name: 'dashboard', rules }] },
    });
    expect(result.code, result.output).toBe(0);
  });

  const filtered =
    'sum(kube_pod_info * on (namespace) group_left () kube_namespace_labels{label_tenants_gitops_dev_tenant="$tenant"})';
  const variable = {
    name: 'tenant',
    type: 'query',
    query: {
      query:
        'label_values(kube_namespace_labels{label_tenants_gitops_dev_tenant!=""}, label_tenants_gitops_dev_tenant)',
    },
  };
  const withPanels = (...panels: unknown[]) => ({ templating: { list: [variable] }, panels }) as Dashboard;
  const panel = (expr: string) => ({ id: 7, type: 'timeseries', title: 'Bad', targets: [{ refId: 'A', expr }] });

  it.each([
    [
      'a panel without the filter',
      withPanels(panel('sum(kube_pod_info)')),
      'panel 7 "Bad" query A does not select kube_namespace_labels by $tenant',
    ],
    [
      'a filter on another variable',
      withPanels(panel(filtered.replace('$tenant', '$namespace'))),
      'panel 7 "Bad" query A does not select kube_namespace_labels by $tenant',
    ],
    [
      'the tenant label without the namespace join',
      withPanels(panel('kube_namespace_labels{label_tenants_gitops_dev_tenant="$tenant"}')),
      'panel 7 "Bad" query A does not join on (namespace)',
    ],
    [
      'an unfiltered panel inside a row',
      withPanels({ type: 'row', panels: [panel('sum(kube_pod_info)')] }),
      'panel 7 "Bad" query A does not select kube_namespace_labels by $tenant',
    ],
    ['a panel with no query', withPanels({ id: 3, type: 'stat', title: 'Empty' }), 'panel 3 "Empty" has no query'],
    ['no tenant variable', { panels: [panel(filtered)] } as Dashboard, 'no template variable "tenant"'],
    [
      'a tenant variable that is not a list of tenants',
      {
        templating: { list: [{ name: 'tenant', type: 'custom', query: 'acme,globex' }] },
        panels: [panel(filtered)],
      } as Dashboard,
      'variable "tenant" does not list label_values(kube_namespace_labels…, label_tenants_gitops_dev_tenant)',
    ],
  ])('GIVEN a dashboard with %s WHEN the checker reads it THEN it names the problem', (_what, bad, problem) => {
    expect(tenantFilterProblems(bad)).toEqual([problem]);
  });

  it('GIVEN the good twin of those fixtures WHEN the checker reads it THEN it finds nothing', () => {
    expect(tenantFilterProblems(withPanels(panel(filtered), { type: 'row', panels: [panel(filtered)] }))).toEqual([]);
  });
});
