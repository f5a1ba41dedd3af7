// GIVEN base/platform/monitoring's PrometheusRule WHEN promtool checks its rule groups and runs them
// over synthetic kube-state-metrics series (two tenants of different tiers, a non-tenant namespace)
// THEN TenantApproachingQuota fires above 80 % naming tenant, tier, namespace and resource, is silent
// at 79 % and 80 %, TenantQuotaExhausted fires at and over 100 %, and nothing alerts outside tenant
// namespaces, on a zero quota or on the platform-set `resourcequotas`. Every expected alert is
// written out below, never derived from the rule; broken copies of the rule fail the same cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LABEL_TENANT, LABEL_TIER } from '../../src/tenant/names.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';
import { kubeStateMetricsLabel } from './support/kube-state-metrics.ts';
import { promtool, type RuleFile } from './support/promtool.ts';

const RULE_PATH = 'base/platform/monitoring/prometheusrule-tenant-quota.yaml';
const RATIO = 'namespace_resource:tenant_quota_used:ratio';

/** The PrometheusRule's spec.groups as a Prometheus rules file (what prometheus-operator generates). */
function ruleFile(): RuleFile {
  const rule = parse(readFileSync(join(REPO_ROOT, RULE_PATH), 'utf8')) as { kind: string; spec: RuleFile };
  expect(rule.kind).toBe('PrometheusRule');
  return { groups: rule.spec.groups };
}

const KSM = { job: 'kube-state-metrics', instance: 'kube-state-metrics-0:8080' };
const NAMESPACES: { namespace: string; tenant?: string; tier?: string }[] = [
  { namespace: 'tenant-acme', tenant: 'acme', tier: 'enterprise' },
  { namespace: 'tenant-globex', tenant: 'globex', tier: 'business' },
  { namespace: 'tenant-globex-staging', tenant: 'globex', tier: 'business' },
  { namespace: 'kube-system' },
];
/** ResourceQuota `tenant-quota` (kube-system: `system-quota`), used and hard per resource. */
const QUOTAS: { namespace: string; resource: string; used: number; hard: number; replicas?: number }[] = [
  { namespace: 'tenant-acme', resource: 'pods', used: 162, hard: 200, replicas: 2 }, // 81 %, two KSM replicas
  { namespace: 'tenant-acme', resource: 'limits.cpu', used: 36, hard: 32 }, // 112.5 %: hard lowered below use
  { namespace: 'tenant-acme', resource: 'requests.nvidia.com/gpu', used: 0, hard: 0 }, // no slices
  { namespace: 'tenant-acme', resource: 'resourcequotas', used: 1, hard: 1 }, // set by the platform
  { namespace: 'tenant-globex', resource: 'requests.cpu', used: 3.16, hard: 4 }, // 79 %
  { namespace: 'tenant-globex', resource: 'pods', used: 40, hard: 50 }, // exactly 80 %
  { namespace: 'tenant-globex', resource: 'services.loadbalancers', used: 1, hard: 0 }, // quota lowered to 0
  { namespace: 'tenant-globex-staging', resource: 'requests.memory', used: 8 * 2 ** 30, hard: 8 * 2 ** 30 }, // 100 %
  { namespace: 'kube-system', resource: 'pods', used: 95, hard: 100 }, // 95 %, not a tenant
];

function series(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${pairs.join(', ')}}`;
}

/** One hour of constant samples a minute, as kube-state-metrics exports them. */
function inputSeries() {
  const flat = (value: number) => `${value}x60`;
  const namespaces = NAMESPACES.map(({ namespace, tenant, tier }) => ({
    series: series('kube_namespace_labels', {
      ...KSM,
      namespace,
      ...(tenant ? { [kubeStateMetricsLabel(LABEL_TENANT)]: tenant } : {}),
      ...(tier ? { [kubeStateMetricsLabel(LABEL_TIER)]: tier } : {}),
    }),
    values: flat(1),
  }));
  const quotas = QUOTAS.flatMap(({ namespace, resource, used, hard, replicas = 1 }) =>
    Array.from({ length: replicas }, (_, i) => ({ ...KSM, instance: `kube-state-metrics-${i}:8080` })).flatMap(
      (source) =>
        (['used', 'hard'] as const).map((type) => ({
          series: series('kube_resourcequota', {
            ...source,
            namespace,
            resourcequota: namespace === 'kube-system' ? 'system-quota' : 'tenant-quota',
            resource,
            type,
          }),
          values: flat(type === 'used' ? used : hard),
        })),
    ),
  );
  return [...namespaces, ...quotas];
}

interface Expected {
  tenant: string;
  tier: string;
  namespace: string;
  resource: string;
  percent: string;
}
const labelsOf = (e: Expected) => ({
  namespace: e.namespace,
  resource: e.resource,
  resourcequota: 'tenant-quota',
  tenant: e.tenant,
  tier: e.tier,
});

function approaching(e: Expected) {
  const where = `ResourceQuota tenant-quota in ${e.namespace} (tenant ${e.tenant}, tier ${e.tier})`;
  return {
    exp_labels: { ...labelsOf(e), severity: 'warning' },
    exp_annotations: {
      summary: `Tenant ${e.tenant} uses ${e.percent} of its ${e.resource} quota in ${e.namespace}`,
      description:
        `${where} has been above 80 % of its hard limit for ${e.resource} for 15 minutes, now ${e.percent}. ` +
        `At 100 % the API server refuses every new pod or object that needs more ${e.resource}. Ask the tenant to ` +
        `free some, or raise spec.quota in tenants/${e.tenant}.yaml (within the ${e.tier} tier's ceiling) ` +
        'through a reviewed pull request.',
    },
  };
}

function exhausted(e: Expected) {
  const where = `ResourceQuota tenant-quota in ${e.namespace} (tenant ${e.tenant}, tier ${e.tier})`;
  return {
    exp_labels: { ...labelsOf(e), severity: 'critical' },
    exp_annotations: {
      summary: `Tenant ${e.tenant} has exhausted its ${e.resource} quota in ${e.namespace} (${e.percent})`,
      description:
        `${where} is at ${e.percent} of its hard limit for ${e.resource}: the API server is refusing new pods ` +
        'or objects that need more of it, so deployments, scale-ups and Jobs there fail. Ask the tenant to free ' +
        `some, or raise spec.quota in tenants/${e.tenant}.yaml (within the ${e.tier} tier's ceiling) through a ` +
        'reviewed pull request.',
    },
  };
}

const ACME_PODS = { tenant: 'acme', tier: 'enterprise', namespace: 'tenant-acme', resource: 'pods', percent: '81%' };
const ACME_LIMITS_CPU = {
  tenant: 'acme',
  tier: 'enterprise',
  namespace: 'tenant-acme',
  resource: 'limits.cpu',
  percent: '112.5%',
};
const STAGING_MEMORY = {
  tenant: 'globex',
  tier: 'business',
  namespace: 'tenant-globex-staging',
  resource: 'requests.memory',
  percent: '100%',
};

const TEST_FILE = {
  rule_files: ['rules.yaml'],
  evaluation_interval: '1m',
  tests: [
    {
      interval: '1m',
      input_series: inputSeries(),
      promql_expr_test: [
        {
          // Tenant namespaces only, each with its tenant and tier; no zero quota, no resourcequotas.
          expr: RATIO,
          eval_time: '30m',
          exp_samples: [
            { labels: series(RATIO, labelsOf({ ...ACME_PODS })), value: 0.81 },
            { labels: series(RATIO, labelsOf({ ...ACME_LIMITS_CPU })), value: 1.125 },
            {
              labels: series(
                RATIO,
                labelsOf({
                  ...ACME_PODS,
                  tenant: 'globex',
                  tier: 'business',
                  namespace: 'tenant-globex',
                  resource: 'requests.cpu',
                }),
              ),
              value: 0.79,
            },
            {
              labels: series(
                RATIO,
                labelsOf({ ...ACME_PODS, tenant: 'globex', tier: 'business', namespace: 'tenant-globex' }),
              ),
              value: 0.8,
            },
            { labels: series(RATIO, labelsOf(STAGING_MEMORY)), value: 1 },
          ],
        },
      ],
      alert_rule_test: [
        // 10 minutes in: the warning is still pending (for: 15m), the critical one fires (for: 5m).
        { eval_time: '10m', alertname: 'TenantApproachingQuota', exp_alerts: [] },
        {
          eval_time: '10m',
          alertname: 'TenantQuotaExhausted',
          exp_alerts: [exhausted(ACME_LIMITS_CPU), exhausted(STAGING_MEMORY)],
        },
        { eval_time: '3m', alertname: 'TenantQuotaExhausted', exp_alerts: [] },
        // 30 minutes in: 81 % fires; 79 %, 80 %, kube-system's 95 %, 0/0, 1/0 and resourcequotas do not.
        { eval_time: '30m', alertname: 'TenantApproachingQuota', exp_alerts: [approaching(ACME_PODS)] },
        {
          eval_time: '30m',
          alertname: 'TenantQuotaExhausted',
          exp_alerts: [exhausted(ACME_LIMITS_CPU), exhausted(STAGING_MEMORY)],
        },
      ],
    },
  ],
};

function testRules(rules: RuleFile) {
  return promtool(['test', 'rules', 'test.yaml'], { 'rules.yaml': rules, 'test.yaml': TEST_FILE });
}

/** The rule file with one rule's expr edited; fails loudly if the edit no longer applies. */
function withExpr(name: string, from: string, to: string): RuleFile {
  const rules = ruleFile();
  const rule = rules.groups.flatMap((g) => g.rules).find((r) => (r.alert ?? r.record) === name);
  expect(rule?.expr, `${name} in ${RULE_PATH}`).toContain(from);
  rule!.expr = rule!.expr.replace(from, to);
  return rules;
}

describe('the tenant quota alerts', () => {
  it('GIVEN the PrometheusRule WHEN promtool check rules reads its groups THEN they are valid: one ratio and the two alerts', () => {
    const rules = ruleFile();
    expect(rules.groups.flatMap((g) => g.rules).map((r) => r.alert ?? r.record)).toEqual([
      RATIO,
      'TenantApproachingQuota',
      'TenantQuotaExhausted',
    ]);
    const result = promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': rules });
    expect(result.output).toContain('SUCCESS: 3 rules found');
    expect(result.code, result.output).toBe(0);
  });

  it('GIVEN the namespace labels of names.ts WHEN kube-state-metrics names them THEN the rule joins on those names', () => {
    const expr = ruleFile().groups[0]!.rules[0]!.expr;
    expect(kubeStateMetricsLabel(LABEL_TENANT)).toBe('label_tenants_gitops_dev_tenant');
    expect(kubeStateMetricsLabel(LABEL_TIER)).toBe('label_tenants_gitops_dev_tier');
    expect(expr).toContain(`kube_namespace_labels{${kubeStateMetricsLabel(LABEL_TENANT)}!=""}`);
    expect(expr).toContain(`"tier", "$1", "${kubeStateMetricsLabel(LABEL_TIER)}"`);
  });

  it('GIVEN synthetic kube-state-metrics series WHEN promtool test rules runs THEN exactly the expected alerts fire', () => {
    const result = testRules(ruleFile());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it.each([
    ['the warning at 78 %', 'TenantApproachingQuota', '> 0.8', '> 0.78', 'tenant-globex'],
    ['the critical alert only over 100 %', 'TenantQuotaExhausted', '>= 1', '> 1', 'tenant-globex-staging'],
    ['no hard > 0 filter', RATIO, '"resourcequotas"} > 0)', '"resourcequotas"})', 'services.loadbalancers'],
    ['no tenant-namespace join', RATIO, '{label_tenants_gitops_dev_tenant!=""}', '', 'kube-system'],
  ])('GIVEN a rule with %s (%s) WHEN the same cases run THEN promtool fails them', (_what, name, from, to, named) => {
    const result = testRules(withExpr(name, from, to));
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain(named);
  });
});
