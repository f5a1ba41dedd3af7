// Checks a Grafana dashboard for the tenant filter: a `tenant` query variable whose values come from
// kube_namespace_labels, and on every panel (rows' nested panels included) at least one query, each
// joined on namespace with kube_namespace_labels selected by that variable. Returns the problems,
// each naming the panel and query, so a failing test says which one to fix.

export const TENANT_VARIABLE = 'tenant';
const TENANT_LABEL = 'label_tenants_gitops_dev_tenant';

/** kube_namespace_labels{… label_tenants_gitops_dev_tenant="$tenant" …} (= or =~, $tenant or ${tenant…}). */
const TENANT_SELECTOR = new RegExp(
  String.raw`kube_namespace_labels\{[^}]*\b${TENANT_LABEL}\s*=~?\s*"\$(?:${TENANT_VARIABLE}\b|\{${TENANT_VARIABLE}(?::[a-z]+)?\})"[^}]*\}`,
);
const NAMESPACE_JOIN = /\bon\s*\(\s*namespace\s*\)/;

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  targets?: { refId?: string; expr?: string }[];
  panels?: Panel[];
}

export interface Dashboard {
  templating?: { list?: { name?: string; type?: string; query?: string | { query?: string } }[] };
  panels?: Panel[];
}

function variableProblems(dashboard: Dashboard): string[] {
  const variable = (dashboard.templating?.list ?? []).find((v) => v.name === TENANT_VARIABLE);
  if (!variable) return [`no template variable "${TENANT_VARIABLE}"`];
  const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
  if (
    variable.type !== 'query' ||
    !/label_values\(\s*kube_namespace_labels\b/.test(query) ||
    !query.includes(TENANT_LABEL)
  )
    return [`variable "${TENANT_VARIABLE}" does not list label_values(kube_namespace_labels…, ${TENANT_LABEL})`];
  return [];
}

function panelProblems(panel: Panel): string[] {
  if (panel.type === 'row') return (panel.panels ?? []).flatMap(panelProblems);
  const name = `panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
  const targets = panel.targets ?? [];
  if (targets.length === 0) return [`${name} has no query`];
  return targets.flatMap((target) => {
    const expr = target.expr ?? '';
    const query = `${name} query ${target.refId ?? '?'}`;
    if (!TENANT_SELECTOR.test(expr)) return [`${query} does not select kube_namespace_labels by $${TENANT_VARIABLE}`];
    if (!NAMESPACE_JOIN.test(expr)) return [`${query} does not join on (namespace)`];
    return [];
  });
}

export function tenantFilterProblems(dashboard: Dashboard): string[] {
  const panels = dashboard.panels ?? [];
  return [...variableProblems(dashboard), ...(panels.length === 0 ? ['no panels'] : panels.flatMap(panelProblems))];
}

/** Every panel query's expression, rows' nested panels included. */
export function panelExpressions(dashboard: Dashboard): { panel: string; expr: string }[] {
  const walk = (panel: Panel): { panel: string; expr: string }[] =>
    panel.type === 'row'
      ? (panel.panels ?? []).flatMap(walk)
      : (panel.targets ?? []).map((t) => ({ panel: `${panel.title} ${t.refId}`, expr: t.expr ?? '' }));
  return (dashboard.panels ?? []).flatMap(walk);
}
