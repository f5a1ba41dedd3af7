// Checks a real response against the service's own OpenAPI document: the status must be documented
// for that operation and the JSON body must validate against its schema (JSON Schema 2020-12, as
// OpenAPI 3.1 uses).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export function createConformanceChecker(
  document: any,
): (method: string, template: string, status: number, body: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return (method, template, status, body) => {
    const operation = document.paths?.[template]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not in the OpenAPI document`];
    const response = operation.responses?.[String(status)];
    if (!response) return [`${method} ${template} answered ${status}, which the document does not list`];
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return [];
    const validate = ajv.compile({ ...schema, components: document.components });
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${method} ${template} ${status}: ${e.instancePath || '(root)'} ${e.message}`,
    );
  };
}
