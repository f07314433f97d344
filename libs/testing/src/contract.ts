import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** An OpenAPI 3.x document, as JSON. */
export type OpenApiDocument = {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
};

/** One change that breaks existing clients. */
export interface BreakingChange {
  /** What kind of break. */
  readonly kind:
    | 'path-removed'
    | 'operation-removed'
    | 'response-removed'
    | 'response-field-removed'
    | 'enum-value-removed'
    | 'request-field-required'
    | 'request-field-removed'
    | 'parameter-required'
    | 'type-narrowed';
  /** Where: `GET /api/posts 200 data[] title` (operation, status or `body`, then the field path). */
  readonly where: string;
  /** In words. */
  readonly message: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
};

/**
 * The changes from `before` to `after` that break existing clients: a removed path, operation or
 * success response; a response field removed; a request field removed (Kwik's validation refuses
 * undeclared fields); an enum value removed; a request field or parameter that became required (or
 * a new required one); a type narrowed (`integer` where `number` was,
 * `null` no longer allowed, another type). Additions — paths, operations, optional fields, enum
 * values, wider types — are not breaks.
 */
export function breakingChanges(before: OpenApiDocument, after: OpenApiDocument): BreakingChange[] {
  const out: BreakingChange[] = [];
  const add = (kind: BreakingChange['kind'], where: string, message: string) =>
    out.push({ kind, where, message });
  for (const [path, oldItem] of Object.entries(before.paths ?? {})) {
    const newItem = after.paths?.[path];
    if (!newItem) {
      add('path-removed', path, `the path ${path} is gone`);
      continue;
    }
    for (const method of METHODS) {
      const oldOp = oldItem[method] as Operation | undefined;
      if (!oldOp) continue;
      const newOp = newItem[method] as Operation | undefined;
      const at = `${method.toUpperCase()} ${path}`;
      if (!newOp) {
        add('operation-removed', at, `the operation ${at} is gone`);
        continue;
      }
      compareParameters(at, oldOp, newOp, add);
      const oldBody = jsonSchema(oldOp.requestBody);
      const newBody = jsonSchema(newOp.requestBody);
      if (newBody) compareRequest(`${at} body`, oldBody, newBody, { before, after, add, seen: new Set() });
      for (const [status, oldResponse] of Object.entries(oldOp.responses ?? {})) {
        if (!status.startsWith('2')) continue;
        const newResponse = newOp.responses?.[status];
        if (!newResponse) {
          add('response-removed', `${at} ${status}`, `${at} no longer answers ${status}`);
          continue;
        }
        const oldSchema = jsonSchema(oldResponse);
        const newSchema = jsonSchema(newResponse);
        if (oldSchema && newSchema)
          compareResponse(`${at} ${status}`, oldSchema, newSchema, { before, after, add, seen: new Set() });
      }
    }
  }
  return out;
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

type Add = (kind: BreakingChange['kind'], where: string, message: string) => void;

/** One comparison's state: the two documents (for `$ref`s), where breaks go, the schema pairs done. */
interface Walk {
  readonly before: OpenApiDocument;
  readonly after: OpenApiDocument;
  readonly add: Add;
  readonly seen: Set<string>;
}

function jsonSchema(holder: unknown): Schema | undefined {
  const content = (holder as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
  if (!content) return undefined;
  const json = Object.entries(content).find(([type]) => /json/.test(type));
  return (json ?? Object.entries(content)[0])?.[1]?.schema;
}

function resolve(schema: Schema | undefined, doc: OpenApiDocument): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) {
    const name = s.$ref.replace(/^#\/components\/schemas\//, '');
    s = doc.components?.schemas?.[name] as Schema | undefined;
  }
  if (!s?.allOf) return s;
  // allOf: the union of the parts' properties and requirements.
  const merged: Schema = {
    ...s,
    allOf: undefined,
    properties: { ...s.properties },
    required: [...(s.required ?? [])],
  };
  for (const part of s.allOf) {
    const r = resolve(part, doc);
    Object.assign(merged.properties!, r?.properties);
    merged.required!.push(...(r?.required ?? []));
    merged.type ??= r?.type;
  }
  return merged;
}

/** The JSON types a schema admits (`null` included when nullable). */
function types(schema: Schema): Set<string> | undefined {
  const list = schema.type === undefined ? undefined : [schema.type].flat();
  if (!list) return undefined;
  const set = new Set(list);
  if (schema.nullable) set.add('null');
  // An integer is a number: `number` admits integers.
  if (set.has('number')) set.add('integer');
  return set;
}

function compareTypes(where: string, oldS: Schema, newS: Schema, add: Add): void {
  const before = types(oldS);
  const after = types(newS);
  if (!before || !after) return;
  const lost = [...before].filter((t) => !after.has(t));
  if (lost.length > 0)
    add(
      'type-narrowed',
      where,
      `${where} no longer admits ${lost.join(', ')} (was ${[...before].join('|')}, now ${[...after].join('|')})`,
    );
}

function compareEnum(where: string, oldS: Schema, newS: Schema, add: Add): void {
  if (!oldS.enum || !newS.enum) return;
  for (const value of oldS.enum)
    if (!newS.enum.some((v) => JSON.stringify(v) === JSON.stringify(value)))
      add('enum-value-removed', where, `${where} no longer has the value ${JSON.stringify(value)}`);
}

/**
 * Whether this pair of named schemas was compared already (each pair once, where it is first
 * reached: recursive schemas end); marks it.
 */
function visited(oldRaw: Schema | undefined, newRaw: Schema, seen: Set<string>): boolean {
  if (!oldRaw?.$ref || !newRaw.$ref) return false;
  const key = `${oldRaw.$ref}|${newRaw.$ref}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

/**
 * Responses: clients read fields; a removed field or enum value breaks them. (A response type that
 * changes is not compared: a wider one can break strict clients, a narrower one cannot.)
 */
function compareResponse(where: string, oldRaw: Schema, newRaw: Schema, walk: Walk): void {
  const { before, after, add, seen } = walk;
  if (visited(oldRaw, newRaw, seen)) return;
  const oldS = resolve(oldRaw, before);
  const newS = resolve(newRaw, after);
  if (!oldS || !newS) return;
  compareEnum(where, oldS, newS, add);
  for (const [name, prop] of Object.entries(oldS.properties ?? {})) {
    const next = newS.properties?.[name];
    const at = `${where} ${name}`;
    if (!next) add('response-field-removed', at, `the response field ${at} is gone`);
    else compareResponse(at, prop, next, walk);
  }
  if (oldS.items && newS.items) compareResponse(`${where}[]`, oldS.items, newS.items, walk);
}

/** Requests: clients send fields; a newly required field, a removed enum value or a narrower type breaks them. */
function compareRequest(where: string, oldRaw: Schema | undefined, newRaw: Schema, walk: Walk): void {
  const { before, after, add, seen } = walk;
  if (visited(oldRaw, newRaw, seen)) return;
  const oldS = resolve(oldRaw, before);
  const newS = resolve(newRaw, after);
  if (!newS) return;
  const wasRequired = new Set(oldS?.required ?? []);
  for (const name of newS.required ?? [])
    if (!wasRequired.has(name))
      add('request-field-required', `${where} ${name}`, `${where} now requires the field ${name}`);
  if (!oldS) return;
  compareEnum(where, oldS, newS, add);
  compareTypes(where, oldS, newS, add);
  for (const [name, prop] of Object.entries(oldS.properties ?? {})) {
    const next = newS.properties?.[name];
    // Kwik's validation refuses properties a DTO does not declare: a client still sending it breaks.
    if (!next)
      add(
        'request-field-removed',
        `${where} ${name}`,
        `${where} no longer accepts the field ${name} (unknown fields are refused)`,
      );
    else compareRequest(`${where} ${name}`, prop, next, walk);
  }
  if (oldS.items && newS.items) compareRequest(`${where}[]`, oldS.items, newS.items, walk);
}

/** A parameter's identity: where it goes and its name. */
function parameterId(p: { name: string; in: string }): string {
  return `${p.in}:${p.name}`;
}

function compareParameters(at: string, oldOp: Operation, newOp: Operation, add: Add): void {
  const old = new Map((oldOp.parameters ?? []).map((p) => [parameterId(p), p]));
  for (const p of newOp.parameters ?? []) {
    const was = old.get(parameterId(p));
    const where = `${at} ${p.in} parameter ${p.name}`;
    if (p.required && !was?.required && p.in !== 'path')
      add('parameter-required', where, `${where} is now required`);
    if (was?.schema && p.schema) {
      compareEnum(where, was.schema, p.schema, add);
      compareTypes(where, was.schema, p.schema, add);
    }
  }
}

/**
 * Compares the running app's OpenAPI document(s) with the committed snapshot and throws, listing
 * every break, if a client of the snapshot would break; additions pass. `documents` maps a name
 * (`'latest'`, `'v1'`, `'v2'`…) to a document, as {@link writeApiSnapshot} stores them. A name in
 * the snapshot that is no longer served is a break too.
 *
 * @example
 * it('keeps the API compatible with the committed contract', async () => {
 *   expectNoBreakingChanges(await fetchApiDocuments(testApp.baseUrl), 'openapi/snapshot.json');
 * });
 */
export function expectNoBreakingChanges(
  documents: Readonly<Record<string, OpenApiDocument>>,
  snapshotFile: string,
): void {
  if (!existsSync(snapshotFile))
    throw new Error(
      `No API snapshot at ${snapshotFile}: write one with writeApiSnapshot() (npm run api:snapshot) and commit it`,
    );
  const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Record<string, OpenApiDocument>;
  const problems: string[] = [];
  for (const [name, before] of Object.entries(snapshot)) {
    const after = documents[name];
    if (!after) {
      problems.push(`${name}: the document is no longer served`);
      continue;
    }
    for (const change of breakingChanges(before, after)) problems.push(`${name}: ${change.message}`);
  }
  if (problems.length > 0)
    throw new Error(
      `${problems.length} breaking change(s) against ${snapshotFile}:\n  - ${problems.join('\n  - ')}\nIf they are intended, publish them as a new API version, or update the snapshot (npm run api:snapshot) and say so in the changelog.`,
    );
}

/** Writes the documents as the snapshot (sorted keys, so diffs stay readable). */
export function writeApiSnapshot(
  documents: Readonly<Record<string, OpenApiDocument>>,
  snapshotFile: string,
): void {
  mkdirSync(dirname(snapshotFile), { recursive: true });
  writeFileSync(snapshotFile, `${JSON.stringify(sortKeys(documents), null, 2)}\n`);
}

/**
 * The OpenAPI documents an app serves: `latest` (`<docsPath>/json`), and with `versions` (the
 * versioning library's) one per version (`<docsPath>/v1/json`, …) under `v1`, `v2`…
 */
export async function fetchApiDocuments(
  baseUrl: string,
  versions: readonly string[] = [],
  docsPath = '/docs',
): Promise<Record<string, OpenApiDocument>> {
  const get = async (path: string): Promise<OpenApiDocument> => {
    const res = await fetch(new URL(path, baseUrl));
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: is the OpenAPI document served there?`);
    return (await res.json()) as OpenApiDocument;
  };
  const out: Record<string, OpenApiDocument> = { latest: await get(`${docsPath}/json`) };
  for (const v of versions) out[`v${v}`] = await get(`${docsPath}/v${v}/json`);
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
