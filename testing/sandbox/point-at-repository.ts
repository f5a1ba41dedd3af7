// A platform repository that names itself: argocd/repo-url.yaml (copied by kustomize into the
// platform project, the platform Application and the ApplicationSet) and the sourceRepos of every
// tenant AppProject in argocd/tenants/. A real deployment does this once for its own URL; the
// sandbox and the tests do it for their local copies (file:// URLs), so ArgoCD syncs from the copy.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';

export function pointAtRepository(root: string, url: string): void {
  const urlFile = join(root, 'argocd/repo-url.yaml');
  const doc = parseDocument(readFileSync(urlFile, 'utf8'));
  doc.setIn(['data', 'url'], url);
  writeFileSync(urlFile, doc.toString());
  const tenantsDir = join(root, 'argocd/tenants');
  if (!existsSync(tenantsDir)) return;
  for (const file of readdirSync(tenantsDir).filter((f) => f.endsWith('.yaml'))) {
    const docs = parseAllDocuments(readFileSync(join(tenantsDir, file), 'utf8'));
    for (const d of docs) if (d.get('kind') === 'AppProject') d.setIn(['spec', 'sourceRepos'], [url]);
    writeFileSync(join(tenantsDir, file), docs.map((d) => d.toString()).join('---\n'));
  }
}
