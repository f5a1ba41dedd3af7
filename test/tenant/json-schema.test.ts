import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderTenantJsonSchemaFile, tenantJsonSchema } from '../../src/tenant/index.ts';
import { validDocument } from './support.ts';

describe('tenant JSON Schema', () => {
  it('GIVEN the rendered file THEN it is 2-space JSON with sorted keys and a trailing newline, stable across calls', () => {
    const text = renderTenantJsonSchemaFile();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(renderTenantJsonSchemaFile());
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(Object.keys(parsed).sort());
    expect(text).toContain('\n  "');
    expect(parsed.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('GIVEN the schema WHEN an editor validates THEN valid specs pass and unknown fields and tiers fail', () => {
    const ajv = new Ajv.default({ strict: false });
    const validate = ajv.compile(tenantJsonSchema());
    expect(validate(validDocument('acme', { quota: { 'requests.cpu': '2' }, gpu: { slices: 1 } }))).toBe(true);
    expect(validate(validDocument('acme', { quota: { 'requets.cpu': '2' } }))).toBe(false);
    expect(validate(validDocument('acme', { tier: 'gold' }))).toBe(false);
    expect(validate(validDocument('Bad_Name'))).toBe(false);
    expect(validate(validDocument('acme', { gpu: { slices: 0.5 } }))).toBe(false);
  });
});
