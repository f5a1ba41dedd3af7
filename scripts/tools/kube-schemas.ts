// Turns Kubernetes' OpenAPI v2 document and CRD YAMLs into strict JSON Schemas that kubeconform
// reads offline: one standalone file per kind (`<kind>-<group prefix>-<version>.json`, kubeconform's
// {{.ResourceKind}}{{.KindSuffix}}) carrying only the definitions that kind reaches, so kubeconform
// compiles small files instead of the whole API once per kind.
// Strict means every object schema with properties rejects unknown fields, as the API server does.
// Usage: kube-schemas.ts SWAGGER_JSON CRD_DIR OUT_DIR
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

const INT_OR_STRING = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Recursively make a schema strict and translate Kubernetes' OpenAPI extensions to JSON Schema. */
function strictify(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictify);
  if (!isObject(schema)) return schema;
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string'] === true) {
    return { description: schema.description, ...INT_OR_STRING };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` and `definitions` are maps of names to schemas; everything else may nest schemas.
    if ((key === 'properties' || key === 'definitions' || key === 'patternProperties') && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictify(v)]));
    } else if (key.startsWith('x-kubernetes-') || key === 'nullable') {
      continue;
    } else {
      out[key] = strictify(value);
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserveUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(out.properties) && out.additionalProperties === undefined && !preserveUnknown) {
    out.additionalProperties = false;
  }
  return out;
}

function kindFileName(group: string, version: string, kind: string): string {
  const prefix = group === '' ? '' : `-${group.split('.')[0]!.toLowerCase()}`;
  return `${kind.toLowerCase()}${prefix}-${version.toLowerCase()}.json`;
}

/** `name` and every definition it reaches through $ref. */
function closure(name: string, definitions: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pending = [name];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next in out) continue;
    out[next] = definitions[next];
    for (const match of JSON.stringify(definitions[next]).matchAll(/"#\/definitions\/([^"]+)"/g))
      pending.push(match[1]!);
  }
  return out;
}

function kubernetesSchemas(swaggerPath: string, outDir: string): number {
  const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8')) as { definitions: Record<string, Schema> };
  const definitions: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(swagger.definitions)) {
    definitions[name] =
      name === QUANTITY
        ? { description: def.description, oneOf: [{ type: 'string' }, { type: 'number' }] }
        : strictify(def);
  }
  let count = 0;
  for (const [name, def] of Object.entries(swagger.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] as
      { group: string; version: string; kind: string }[] | undefined;
    if (!gvks) continue;
    const standalone = { $ref: `#/definitions/${name}`, definitions: closure(name, definitions) };
    const text = JSON.stringify(standalone);
    for (const gvk of gvks) {
      writeFileSync(join(outDir, kindFileName(gvk.group, gvk.version, gvk.kind)), text);
      count++;
    }
  }
  return count;
}

function crdSchemas(crdDir: string, outDir: string): number {
  let count = 0;
  for (const file of readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
      const crd = doc.toJS() as Schema | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.spec as {
        group: string;
        names: { kind: string };
        versions: { name: string; schema?: { openAPIV3Schema?: Schema } }[];
      };
      for (const version of spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) continue;
        writeFileSync(
          join(outDir, kindFileName(spec.group, version.name, spec.names.kind)),
          JSON.stringify(strictify(schema)),
        );
        count++;
      }
    }
  }
  return count;
}

const [swaggerPath, crdDir, outDir] = process.argv.slice(2);
if (!swaggerPath || !crdDir || !outDir) {
  process.stderr.write('tenant-gitops: usage: kube-schemas.ts SWAGGER_JSON CRD_DIR OUT_DIR\n');
  process.exit(2);
}
const kinds = kubernetesSchemas(swaggerPath, outDir);
const crds = crdSchemas(crdDir, outDir);
process.stdout.write(`tenant-gitops tools: ${kinds} Kubernetes kinds and ${crds} CRD versions\n`);
