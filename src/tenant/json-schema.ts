// The JSON Schemas editors use, generated from the zod schemas so editors autocomplete and check
// the reviewed files: tenants/tenant.schema.json and clusters/cluster.schema.json. Keys are sorted
// so each file is byte-stable whatever zod's internal order.
import { z } from 'zod';
import { clusterSchema } from './cluster-schema.ts';
import { tenantSchema } from './schema.ts';

function documentJsonSchema(schema: z.ZodType): Record<string, unknown> {
  // `input`: what a person may write (optional fields stay optional). draft-07 because it is the
  // draft every YAML editor plugin understands.
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
}

function jsonSchemaFile(schema: z.ZodType): string {
  return `${JSON.stringify(sortKeys(documentJsonSchema(schema)), null, 2)}\n`;
}

export function tenantJsonSchema(): Record<string, unknown> {
  return documentJsonSchema(tenantSchema);
}

export function renderTenantJsonSchemaFile(): string {
  return jsonSchemaFile(tenantSchema);
}

export function clusterJsonSchema(): Record<string, unknown> {
  return documentJsonSchema(clusterSchema);
}

export function renderClusterJsonSchemaFile(): string {
  return jsonSchemaFile(clusterSchema);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
