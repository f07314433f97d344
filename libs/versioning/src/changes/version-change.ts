import type { FieldInstruction, JsonObject } from './field-instructions.js';

/** What a version change's own migration hooks are told about the request. */
export interface ChangeContext {
  /** The route pattern (`/api/posts/:id`). */
  readonly route: string;
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The version the client asked for. */
  readonly clientVersion: string;
  /** The response status (response migrations only). */
  readonly status?: number;
}

/**
 * One step of an API's history, Stripe-style: what changed for some routes between the version
 * before {@link version} and {@link version}. Controllers and DTOs are written for the latest
 * version only; a request of an older version is migrated up through every later change, its
 * response back down, and the older versions' OpenAPI documents are derived from the same changes.
 *
 * Declare the differences with field instructions (`renamed`, `added`, `removed`, `changed`); for
 * anything else (a different body shape) override {@link migrateRequest} / {@link migrateResponse}.
 * A change is plain code: unit-test it with `VersionChain`.
 *
 * @example
 * export class ContentReplacesBody extends VersionChange {
 *   readonly version = '2';
 *   readonly description = 'Posts: `body` is renamed to `content`; `excerpt` is added.';
 *   readonly routes = ['/api/posts', '/api/posts/:id', '/api/posts/bulk'];
 *   override readonly fields = [renamed('body', 'content'), added('excerpt')];
 * }
 */
export abstract class VersionChange {
  /** The version this change introduces; requests of every earlier version go through it. */
  abstract readonly version: string;
  /** What changed, in plain words (shown in the older versions' OpenAPI documents). */
  abstract readonly description: string;
  /** Route patterns it applies to, as Nest declares them (`/api/posts/:id`); a trailing `*` matches a prefix. */
  abstract readonly routes: readonly string[];
  /** The resource's field differences, applied to request bodies up and response bodies down. @default [] */
  readonly fields: readonly FieldInstruction[] = [];
  /**
   * Keys of a body that hold lists of resources: `{ data: [...] }` (lists), `{ create: [...] }`
   * (bulk). A body with none of them is itself the resource; a JSON array is a list of them.
   * @default ['data', 'items', 'create', 'update', 'created', 'updated']
   */
  readonly collections: readonly string[] = ['data', 'items', 'create', 'update', 'created', 'updated'];

  /** A request body of the version before, after the field instructions: return this version's body. */
  migrateRequest?(body: unknown, context: ChangeContext): unknown;

  /** A response body of this version, before the field instructions: return the older version's body. */
  migrateResponse?(body: unknown, context: ChangeContext): unknown;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The resource objects of a JSON body (see {@link VersionChange.collections}). */
export function resourcesOf(body: unknown, collections: readonly string[]): JsonObject[] {
  if (Array.isArray(body)) return body.filter(isObject);
  if (!isObject(body)) return [];
  let found: JsonObject[] | undefined;
  for (const key of collections) {
    const value = body[key];
    if (Array.isArray(value)) (found ??= []).push(...value.filter(isObject));
  }
  return found ?? [body];
}

/**
 * `body` with `fn` applied to each of its resource objects (see {@link resourcesOf}); the containers
 * are copied where a resource changed, nothing is mutated.
 */
export function mapResources(
  body: unknown,
  collections: readonly string[],
  fn: (resource: JsonObject) => JsonObject,
): unknown {
  // Copies only what changed: a body none of whose resources changes is returned as it is, so the
  // caller can tell "nothing to migrate" (and keep a serializer compiled for it) by identity.
  const mapList = (list: unknown[]) => {
    let out: unknown[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const next = isObject(item) ? fn(item) : item;
      if (next !== item) (out ??= list.slice())[i] = next;
    }
    return out ?? list;
  };
  // A body with toJSON() (a page object of its own) is what it serializes to.
  const withJson = body as { toJSON?: () => unknown } | null;
  if (withJson !== null && typeof withJson === 'object' && typeof withJson.toJSON === 'function')
    return mapResources(withJson.toJSON(), collections, fn);
  if (Array.isArray(body)) return mapList(body);
  if (!isObject(body)) return body;
  let listed = false;
  let out: JsonObject | undefined;
  for (const key of collections) {
    const value = body[key];
    if (!Array.isArray(value)) continue;
    listed = true;
    const mapped = mapList(value);
    if (mapped !== value) (out ??= { ...body })[key] = mapped;
  }
  return listed ? (out ?? body) : fn(body);
}
