// Where the project's tools live: the Go-built cache first ($TENANT_GITOPS_TOOLS/bin, default
// ~/.cache/tenant-gitops/tools/bin, filled by scripts/tools/*.sh), then PATH.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export function toolsDir(): string {
  return process.env.TENANT_GITOPS_TOOLS ?? join(homedir(), '.cache/tenant-gitops/tools');
}

export function toolPath(name: string): string {
  const cached = join(toolsDir(), 'bin', name);
  if (existsSync(cached)) return cached;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return name;
}
