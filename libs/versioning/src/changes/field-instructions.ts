/** Any JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * One difference between a version and the one before it, for the fields of a resource. A
 * dotted name (`author.name`) reaches into nested objects; arrays on the way are walked.
 */
export type FieldInstruction =
  | { readonly kind: 'renamed'; readonly from: string; readonly to: string }
  | { readonly kind: 'added'; readonly name: string; readonly default?: unknown; readonly schema?: object }
  | {
      readonly kind: 'removed';
      readonly name: string;
      readonly default: unknown | ((resource: JsonObject) => unknown);
      readonly schema?: object;
    }
  | {
      readonly kind: 'changed';
      readonly name: string;
      readonly up: (value: unknown, resource: JsonObject) => unknown;
      readonly down: (value: unknown, resource: JsonObject) => unknown;
      readonly oldSchema?: object;
    };

/**
 * The field was called `from` in the version before and is `to` from this version on: requests
 * (bodies and the shaped-list parameters `fields`, `sort`, `filter[…]`) are renamed up, responses down.
 *
 * @example renamed('body', 'content')
 */
export function renamed(from: string, to: string): FieldInstruction {
  return { kind: 'renamed', from, to };
}

/**
 * The field is new in this version: older responses do not have it; older requests get `default`
 * when given. `schema` is its OpenAPI schema (documents of older versions leave it out).
 *
 * @example added('excerpt')
 */
export function added(name: string, options: { default?: unknown; schema?: object } = {}): FieldInstruction {
  return { kind: 'added', name, ...options };
}

/**
 * The field existed in the version before and is gone from this one: older requests may still
 * send it (it is dropped), older responses still show it (as `default`, or what the function
 * computes from the rest of the resource). `schema` documents it in the older versions.
 *
 * @example removed('legacyFlag', { default: false, schema: { type: 'boolean' } })
 */
export function removed(
  name: string,
  options: { default: unknown | ((resource: JsonObject) => unknown); schema?: object },
): FieldInstruction {
  return { kind: 'removed', name, default: options.default, ...(options.schema ? { schema: options.schema } : {}) };
}

/**
 * The field's value changed shape: `up` turns an older request's value into this version's,
 * `down` turns this version's value into the older one. `oldSchema` documents the older shape.
 *
 * @example changed('price', { up: (cents) => ({ amount: cents, currency: 'EUR' }), down: (p) => p.amount })
 */
export function changed(
  name: string,
  options: {
    up: (value: any, resource: JsonObject) => unknown;
    down: (value: any, resource: JsonObject) => unknown;
    oldSchema?: object;
  },
): FieldInstruction {
  return { kind: 'changed', name, ...options };
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The objects at `path` (dotted) under `root`, with the last segment: arrays are walked. */
function parentsOf(root: unknown, path: string): { objects: JsonObject[]; key: string } {
  const segments = path.split('.');
  const key = segments.pop()!;
  let level: unknown[] = [root];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const item of level) {
      const value = isObject(item) ? item[segment] : undefined;
      if (Array.isArray(value)) next.push(...value);
      else if (value !== undefined) next.push(value);
    }
    level = next;
  }
  const objects: JsonObject[] = [];
  for (const item of level) {
    if (Array.isArray(item)) objects.push(...item.filter(isObject));
    else if (isObject(item)) objects.push(item);
  }
  return { objects, key };
}

/** Renames a key keeping its position among the object's keys (clients and docs read them in order). */
function renameKeyInPlace(o: JsonObject, key: string, newKey: string): void {
  const entries = Object.entries(o);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) o[k === key ? newKey : k] = v;
}

/**
 * Applies instructions to one resource object in place: `up` migrates an older request to this
 * version, otherwise a response of this version is migrated down to the older one.
 */
export function applyFieldInstructions(
  resource: JsonObject,
  instructions: readonly FieldInstruction[],
  direction: 'up' | 'down',
): void {
  const ordered = direction === 'up' ? instructions : [...instructions].reverse();
  for (const ins of ordered) {
    switch (ins.kind) {
      case 'renamed': {
        const [fromPath, toPath] = direction === 'up' ? [ins.from, ins.to] : [ins.to, ins.from];
        const newKey = toPath.split('.').pop()!;
        const { objects, key } = parentsOf(resource, fromPath);
        for (const o of objects) if (key in o && !(newKey in o)) renameKeyInPlace(o, key, newKey);
        break;
      }
      case 'added': {
        const { objects, key } = parentsOf(resource, ins.name);
        for (const o of objects) {
          if (direction === 'down') delete o[key];
          else if (!(key in o) && 'default' in ins && ins.default !== undefined) o[key] = ins.default;
        }
        break;
      }
      case 'removed': {
        const { objects, key } = parentsOf(resource, ins.name);
        for (const o of objects) {
          if (direction === 'up') delete o[key];
          else if (!(key in o))
            o[key] = typeof ins.default === 'function' ? (ins.default as (r: JsonObject) => unknown)(o) : ins.default;
        }
        break;
      }
      case 'changed': {
        const { objects, key } = parentsOf(resource, ins.name);
        const convert = direction === 'up' ? ins.up : ins.down;
        for (const o of objects) if (key in o) o[key] = convert(o[key], o);
        break;
      }
    }
  }
}
