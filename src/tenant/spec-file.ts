// tenants/<name>.yaml as the onboarding service commits it: the document as YAML under the schema
// comment editors use for completion. The service checks this text, not the JSON it was sent, so
// what it commits is exactly what the CLI will read on main.
import { Document } from 'yaml';
import { TENANT_SCHEMA_COMMENT } from './names.ts';

export function tenantSpecFile(document: unknown): string {
  const yaml = new Document(document);
  yaml.commentBefore = TENANT_SCHEMA_COMMENT;
  return yaml.toString({ lineWidth: 0 });
}
