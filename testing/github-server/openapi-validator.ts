// Checks every request and response of the local server against GitHub's published OpenAPI
// description (@octokit/openapi, api.github.com) and every webhook payload against
// @octokit/openapi-webhooks. A mismatch is recorded, never thrown: tests assert there are none.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);

export interface Violation {
  /** `GET /repos/{owner}/{repo}` or `webhook pull_request.closed`. */
  operation: string;
  where: 'request' | 'response' | 'route' | 'webhook';
  message: string;
}

type Json = Record<string, unknown>;

interface Operation {
  parameters?: Json[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

const COMPONENTS_ID = 'github-rest';
const WEBHOOK_COMPONENTS_ID = 'github-webhooks';

function loadJson(specifier: string): Json {
  return JSON.parse(readFileSync(require.resolve(specifier), 'utf8')) as Json;
}

/** `#/components/...` refs point at the separately registered components document. */
function rebase(schema: unknown, id: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rebase(item, id));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${id}${value}` : rebase(value, id);
  }
  return out;
}

/**
 * GitHub's OpenAPI 3.0 schemas as ajv reads them, same meaning:
 * - "null or X" is written `nullable: true` next to a oneOf/allOf without `type`, which ajv's
 *   `nullable` keyword refuses; such schemas become `anyOf: [null, X]`.
 * - `oneOf` is written for "one of these shapes" over shapes that overlap: any `validation-error`
 *   also matches `repository-rule-violation-error` (it requires nothing), so a blob's real 422 would
 *   fail "exactly one". It becomes `anyOf`.
 */
function openApiNullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiNullable);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) out[key] = openApiNullable(value);
  if (Array.isArray(out.oneOf)) {
    const shapes = out.oneOf;
    delete out.oneOf;
    if (out.anyOf === undefined) out.anyOf = shapes;
    else out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), { anyOf: shapes }];
  }
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function newAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, logger: false, validateSchema: false });
  addFormats(ajv);
  return ajv;
}

/** GitHub's descriptions, loaded and compiled once per process (they are large), shared by servers. */
class Schemas {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly bodies = newAjv(false);
  readonly params = newAjv(true);
  readonly webhooks = newAjv(false);
  readonly compiled = new Map<string, ValidateFunction>();
  readonly webhookSchemas: Json;
  readonly parameters: Record<string, Json>;
  readonly responses: Record<string, Json>;

  constructor() {
    const rest = loadJson('@octokit/openapi/generated/api.github.com.json');
    this.paths = rest.paths as Record<string, Record<string, Operation>>;
    this.parameters = (rest.components as { parameters: Record<string, Json> }).parameters;
    this.responses = (rest.components as { responses: Record<string, Json> }).responses;
    const components = { $id: COMPONENTS_ID, components: openApiNullable(rest.components) };
    this.bodies.addSchema(components);
    this.params.addSchema(components);
    const webhooks = loadJson('@octokit/openapi-webhooks/generated/api.github.com.json');
    this.webhookSchemas = (webhooks.components as Json).schemas as Json;
    this.webhooks.addSchema({ $id: WEBHOOK_COMPONENTS_ID, components: webhooks.components });
  }
}

let shared: Schemas | undefined;

export class OpenApiValidator {
  readonly violations: Violation[] = [];
  readonly #s: Schemas;
  readonly #paths: Record<string, Record<string, Operation>>;
  readonly #bodies: Ajv;
  readonly #params: Ajv;
  readonly #webhooks: Ajv;
  readonly #compiled: Map<string, ValidateFunction>;
  readonly #webhookSchemas: Json;

  constructor() {
    shared ??= new Schemas();
    this.#s = shared;
    this.#paths = shared.paths;
    this.#bodies = shared.bodies;
    this.#params = shared.params;
    this.#webhooks = shared.webhooks;
    this.#compiled = shared.compiled;
    this.#webhookSchemas = shared.webhookSchemas;
  }

  /** True when GitHub documents this method on this path template. */
  hasOperation(template: string, method: string): boolean {
    return Boolean(this.#paths[template]?.[method.toLowerCase()]);
  }

  record(violation: Violation): void {
    this.violations.push(violation);
  }

  checkRequest(
    template: string,
    method: string,
    input: { path: Record<string, string>; query: URLSearchParams; body: unknown; contentType: string },
  ): void {
    const operation = `${method} ${template}`;
    const op = this.#paths[template]?.[method.toLowerCase()];
    if (!op) {
      this.record({ operation, where: 'route', message: 'GitHub documents no such operation' });
      return;
    }
    for (const raw of op.parameters ?? []) {
      const param = this.#resolveParameter(raw);
      const name = String(param.name);
      const value =
        param.in === 'path'
          ? input.path[name]
          : param.in === 'query'
            ? (input.query.get(name) ?? undefined)
            : undefined;
      if (param.in !== 'path' && param.in !== 'query') continue;
      if (value === undefined) {
        if (param.required)
          this.record({ operation, where: 'request', message: `missing required ${param.in} parameter ${name}` });
        continue;
      }
      const holder = { value };
      const validate = this.#compile(this.#params, `param ${operation} ${name}`, () => ({
        type: 'object',
        properties: { value: rebase(openApiNullable(param.schema ?? {}), COMPONENTS_ID) },
      }));
      if (validate && !validate(holder))
        this.record({
          operation,
          where: 'request',
          message: `${param.in} parameter ${name}=${value}: ${this.#errors(validate)}`,
        });
    }
    const known = new Set((op.parameters ?? []).map((p) => String(this.#resolveParameter(p).name)));
    for (const name of input.query.keys()) {
      if (!known.has(name))
        this.record({ operation, where: 'request', message: `query parameter ${name} is not documented` });
    }
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    if (bodySchema && input.body === undefined) {
      // An empty body is accepted where GitHub marks the body optional (Octokit sends none then).
      if ((op.requestBody as { required?: boolean }).required)
        this.record({ operation, where: 'request', message: 'required body is missing' });
    } else if (bodySchema) {
      if (!input.contentType.startsWith('application/json')) {
        this.record({
          operation,
          where: 'request',
          message: `content-type ${input.contentType || '(none)'} is not application/json`,
        });
        return;
      }
      const validate = this.#compile(
        this.#bodies,
        `body ${operation}`,
        () => rebase(openApiNullable(bodySchema), COMPONENTS_ID) as Json,
      );
      if (validate && !validate(input.body))
        this.record({ operation, where: 'request', message: `body: ${this.#errors(validate)}` });
    } else if (input.body !== undefined) {
      this.record({ operation, where: 'request', message: 'GitHub documents no request body here' });
    }
  }

  checkResponse(template: string, method: string, status: number, body: unknown): void {
    const operation = `${method} ${template}`;
    const op = this.#paths[template]?.[method.toLowerCase()];
    if (!op) return;
    const declared = op.responses?.[String(status)] as Json | undefined;
    const response = (
      typeof declared?.$ref === 'string'
        ? this.#s.responses[declared.$ref.replace('#/components/responses/', '')]
        : declared
    ) as { content?: Record<string, { schema?: Json }> } | undefined;
    if (!response) {
      this.record({ operation, where: 'response', message: `status ${status} is not documented` });
      return;
    }
    const content = response.content ?? {};
    const schema = content['application/json']?.schema ?? Object.values(content)[0]?.schema;
    if (!schema) {
      if (body !== undefined)
        this.record({ operation, where: 'response', message: `status ${status} documents no body` });
      return;
    }
    const validate = this.#compile(
      this.#bodies,
      `response ${operation} ${status}`,
      () => rebase(openApiNullable(schema), COMPONENTS_ID) as Json,
    );
    if (validate && !validate(body))
      this.record({ operation, where: 'response', message: `status ${status}: ${this.#errors(validate)}` });
  }

  /** Validates a webhook payload against `webhook-<event>-<action>` of @octokit/openapi-webhooks. */
  checkWebhook(event: string, action: string, payload: unknown): void {
    const name = `webhook-${event.replaceAll('_', '-')}-${action.replaceAll('_', '-')}`;
    const operation = `webhook ${event}.${action}`;
    if (!this.#webhookSchemas[name]) {
      this.record({ operation, where: 'webhook', message: `no schema ${name}` });
      return;
    }
    const validate = this.#compile(this.#webhooks, operation, () => ({
      $ref: `${WEBHOOK_COMPONENTS_ID}#/components/schemas/${name}`,
    }));
    if (validate && !validate(payload)) this.record({ operation, where: 'webhook', message: this.#errors(validate) });
  }

  #resolveParameter(param: Json): Json {
    const ref = param.$ref;
    if (typeof ref !== 'string') return param;
    const name = ref.replace('#/components/parameters/', '');
    return this.#s.parameters[name] ?? {};
  }

  /**
   * Null (and a recorded violation) when GitHub's schema cannot be compiled: never a crash. The
   * schema is built only on the first use of a key: later calls reuse the compiled function.
   */
  #compile(ajv: Ajv, key: string, schema: () => Json): ValidateFunction | null {
    let validate = this.#compiled.get(key);
    if (!validate) {
      try {
        validate = ajv.compile(schema());
      } catch (error) {
        this.record({
          operation: key,
          where: 'route',
          message: `schema could not be compiled: ${error instanceof Error ? error.message : String(error)}`,
        });
        return null;
      }
      this.#compiled.set(key, validate);
    }
    return validate;
  }

  #errors(validate: ValidateFunction): string {
    return (validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      )
      .join('; ');
  }
}
