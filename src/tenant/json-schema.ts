// tenants/tenant.schema.json: generated from the zod schema so editors autocomplete and check
// tenant files. Keys are sorted so the file is byte-stable whatever zod's internal order.
import { z } from 'zod';
import { tenantSchema } from './schema.ts';

export function tenantJsonSchema(): Record<string, unknown> {
  // `input`: what a person may write (optional fields stay optional). draft-07 because it is the
  // draft every YAML editor plugin understands.
  return z.toJSONSchema(tenantSchema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
}

export function renderTenantJsonSchemaFile(): string {
  return `${JSON.stringify(sortKeys(tenantJsonSchema()), null, 2)}\n`;
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
