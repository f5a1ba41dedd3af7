// GIVEN a copy of the platform repository WHEN a tenant would derive one of the namespaces the
// platform itself declares (base/platform as kustomize renders it, argocd/) THEN `tenantctl new`,
// `generate` and `validate` refuse it, naming the file, the field, the namespace and where the
// platform declares it, and write nothing; the same copy still accepts a legitimate tenant.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { makePlatformRepo, snapshotTree } from '../fixtures/platform-repo.ts';
import { copyArgocdDefinitions } from '../fixtures/tenant-repo.ts';
import { tenantctl, tenantctlAsync } from './run-cli.ts';

const SERVICE_DIR = 'base/platform/onboarding-service';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function platformCopy(): string {
  const root = makePlatformRepo();
  roots.push(root);
  copyArgocdDefinitions(root);
  mkdirSync(join(root, 'tenants'));
  return root;
}

/** The copy's onboarding service moved into `namespace`, as it was before it left the tenant- prefix. */
function moveServiceNamespace(root: string, namespace: string): void {
  const dir = join(root, SERVICE_DIR);
  const current = (parse(readFileSync(join(dir, 'identity/namespace.yaml'), 'utf8')) as { metadata: { name: string } })
    .metadata.name;
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), text.replaceAll(current, namespace));
  }
}

/** One more platform Namespace in the copy's base/platform, listed in its kustomization. */
function addPlatformNamespace(root: string, namespace: string): void {
  writeFileSync(
    join(root, 'base/platform/extra-namespace.yaml'),
    stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }),
  );
  const kustomization = join(root, 'base/platform/kustomization.yaml');
  const doc = parse(readFileSync(kustomization, 'utf8')) as { resources: string[] };
  doc.resources.push('extra-namespace.yaml');
  writeFileSync(kustomization, stringify(doc));
}

function writeSpec(root: string, name: string, subNamespaces: string[] = []): void {
  const spec = {
    apiVersion: 'tenants.gitops.dev/v1',
    kind: 'Tenant',
    metadata: { name },
    spec: {
      tier: 'enterprise',
      owners: [{ kind: 'Group', name: `${name}-admins` }],
      ...(subNamespaces.length ? { subNamespaces: subNamespaces.map((s) => ({ name: s })) } : {}),
    },
  };
  writeFileSync(join(root, 'tenants', `${name}.yaml`), stringify(spec));
}

describe('tenant namespaces never equal a platform namespace', () => {
  it('GIVEN the service in tenant-gitops-system WHEN tenant gitops-system is generated THEN it is refused and nothing is written', () => {
    const root = platformCopy();
    moveServiceNamespace(root, 'tenant-gitops-system');
    expect(tenantctl(root, 'new', 'acme', '--tier', 'free').code).toBe(0);
    writeSpec(root, 'gitops-system');
    const before = snapshotTree(root);

    const refused = tenantctl(root, 'generate');

    expect(refused.code, refused.stdout).toBe(2);
    expect(refused.stderr).toMatch(
      /tenants\/gitops-system\.yaml: metadata\.name: namespace "tenant-gitops-system" is a platform namespace \(base\/platform: Namespace tenant-gitops-system\)/,
    );
    expect(refused.stderr).toMatch(/fix: rename the tenant/);
    expect(snapshotTree(root)).toEqual(before);
    // The legitimate tenant beside it is generated once the attacker's file is gone.
    rmSync(join(root, 'tenants/gitops-system.yaml'));
    const accepted = tenantctl(root, 'generate');
    expect(accepted.code, accepted.stderr).toBe(0);
  });

  it('GIVEN the service in tenant-gitops-system WHEN `tenantctl new gitops-system` runs THEN it is refused and writes no file', () => {
    const root = platformCopy();
    moveServiceNamespace(root, 'tenant-gitops-system');

    const refused = tenantctl(root, 'new', 'gitops-system', '--tier', 'free');

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/namespace "tenant-gitops-system" is a platform namespace/);
    expect(readdirSync(join(root, 'tenants'))).toEqual([]);
    expect(tenantctl(root, 'new', 'gitops', '--tier', 'free').code).toBe(2); // reserved name, another rule
    expect(tenantctl(root, 'new', 'hooli', '--tier', 'free').code).toBe(0);
  });

  it('GIVEN a platform namespace added to base/platform WHEN a sub-namespace derives it THEN generate names the field', () => {
    const root = platformCopy();
    addPlatformNamespace(root, 'tenant-acme-dev');
    writeSpec(root, 'acme', ['prod', 'dev']);
    const before = snapshotTree(root);

    const refused = tenantctl(root, 'generate');

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /tenants\/acme\.yaml: spec\.subNamespaces\[1\]\.name: namespace "tenant-acme-dev" is a platform namespace \(base\/platform: Namespace tenant-acme-dev\)/,
    );
    expect(snapshotTree(root)).toEqual(before);
    // Without that sub-namespace the platform's namespace still lies in acme's tenant-acme-* space.
    writeSpec(root, 'acme', ['prod', 'qa']);
    const inside = tenantctl(root, 'generate');
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(
      /tenants\/acme\.yaml: metadata\.name: platform namespace "tenant-acme-dev" \(base\/platform: Namespace tenant-acme-dev\) lies inside tenant acme's namespaces tenant-acme-\*/,
    );
    rmSync(join(root, 'tenants/acme.yaml'));
    writeSpec(root, 'hooli', ['prod', 'dev']);
    expect(tenantctl(root, 'generate').code).toBe(0);
  });

  it('GIVEN generated overlays WHEN the platform then declares a tenant namespace THEN generate --check and validate fail naming it', async () => {
    const root = platformCopy();
    writeSpec(root, 'hooli');
    writeSpec(root, 'acme');
    expect(tenantctl(root, 'generate').code).toBe(0);
    expect((await tenantctlAsync(root, 'validate')).code).toBe(0);
    addPlatformNamespace(root, 'tenant-hooli');

    const check = tenantctl(root, 'generate', '--check');
    const validate = await tenantctlAsync(root, 'validate');

    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(
      /tenants\/hooli\.yaml: metadata\.name: namespace "tenant-hooli" is a platform namespace/,
    );
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/hooli \(overlays\/hooli\): namespace "tenant-hooli" is a platform namespace/);
    expect(validate.stderr).not.toMatch(/acme/);
  });
});
