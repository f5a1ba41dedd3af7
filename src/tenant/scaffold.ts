// `tenantctl new`: a valid, commented tenant file. Built as a YAML document (never a string
// template) and commented with the tier's defaults and ceilings so the author sees what to raise.
import { Document, isPair, isScalar, type YAMLMap } from 'yaml';
import { InputError } from '../shared/errors.ts';
import { checkTenantName } from './name-rules.ts';
import { TENANT_SCHEMA_COMMENT, tenantSpecPath } from './names.ts';
import { parseTenantYaml } from './parse.ts';
import { API_VERSION, KIND } from './schema.ts';
import { QUOTA_KEYS, TIER_POLICIES } from './tiers.ts';
import { LIMIT_RESOURCES, TIERS, type Tier } from './types.ts';

export function scaffoldTenantYaml(name: string, tier: Tier): string {
  const problems = [];
  const nameProblem = checkTenantName(name, 'tenant name');
  if (nameProblem) problems.push({ path: 'metadata.name', ...nameProblem });
  if (!(TIERS as readonly string[]).includes(tier)) {
    problems.push({ path: 'spec.tier', message: `unknown tier "${String(tier)}"`, fix: `use ${TIERS.join(', ')}` });
  }
  if (problems.length > 0) throw new InputError(problems);

  const policy = TIER_POLICIES[tier];
  const doc = new Document({
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name },
    spec: { tier, owners: [{ kind: 'Group', name: `${name}-admins` }], nodePool: 'shared' },
  });
  doc.commentBefore = TENANT_SCHEMA_COMMENT;
  const spec = doc.get('spec', true) as YAMLMap;
  commentKey(doc.get('metadata', true) as YAMLMap, 'name', ' DNS-1123 label; must equal the file name', 'trailing');
  commentKey(spec, 'tier', ' free | business | enterprise', 'trailing');
  commentKey(spec, 'owners', ' bound to the tenant-admin Role; kind Group or User', 'trailing');
  const quotaLines = QUOTA_KEYS.map(
    (key) => `   ${key}: "${policy.quotaDefaults[key]}"  # ceiling ${policy.quotaCeilings[key]}`,
  );
  const limits = policy.limits;
  const optional = [
    ` quota: the ${tier} tier's defaults apply; override any key up to its ceiling:`,
    ' quota:',
    ...quotaLines,
    ' limits: per-container LimitRange (defaults shown; each at most max):',
    ' limits:',
    ...(['default', 'defaultRequest', 'max'] as const).map(
      (field) =>
        `   ${field}: { ${LIMIT_RESOURCES.map((resource) => `${resource}: ${limits[field][resource]}`).join(', ')} }`,
    ),
    ...(policy.maxGpuSlices > 0
      ? [` gpu: { slices: 1 }  # whole time-sliced GPUs, at most ${policy.maxGpuSlices}`]
      : []),
    ...(policy.maxSubNamespaces > 0
      ? [` subNamespaces: [ { name: dev } ]  # at most ${policy.maxSubNamespaces}; namespace tenant-${name}-<sub>`]
      : []),
    ' network: allowances on top of default-deny',
    ' network:',
    '   allowIngressFromNamespaces: [ ingress-nginx ]',
    '   allowEgressTo: [ { cidr: 10.0.0.0/16, ports: [ 5432 ] } ]',
    ` ingress: hostnames its Ingresses may serve (IngressClass ${policy.ingressClasses.join(' or ')}); never another tenant's`,
    ' ingress:',
    `   hosts: [ ${name}.example, "*.apps.${name}.example" ]`,
    ` cluster: ${policy.defaultCluster}  # clusters/<name>.yaml; the ${tier} tier's default; cannot change once generated`,
  ];
  commentKey(spec, 'nodePool', optional.join('\n'), 'before');
  commentKey(
    spec,
    'nodePool',
    policy.dedicatedNodePool ? ' shared | dedicated' : ` shared (dedicated needs tier enterprise)`,
    'trailing',
  );
  const text = doc.toString({ lineWidth: 0 });
  // The scaffold must always be a spec the loader accepts.
  parseTenantYaml(text, { file: tenantSpecPath(name), expectedName: name });
  return text;
}

function commentKey(map: YAMLMap, key: string, comment: string, where: 'before' | 'trailing'): void {
  const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
  if (!pair || !isScalar(pair.key)) return;
  if (where === 'before') pair.key.commentBefore = comment;
  else if (isScalar(pair.value)) pair.value.comment = comment;
  else pair.key.comment = comment;
}
