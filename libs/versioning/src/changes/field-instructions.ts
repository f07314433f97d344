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
  return {
    kind: 'removed',
    name,
    default: options.default,
    ...(options.schema ? { schema: options.schema } : {}),
  };
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

/**
 * `value` with `fn` applied to the objects at `segments` (arrays on the way are walked). Objects
 * on the way are copied only where something changes; nothing is mutated.
 */
function atPath(
  value: unknown,
  segments: readonly string[],
  fn: (parent: JsonObject) => JsonObject,
): unknown {
  if (Array.isArray(value)) {
    let touched = false;
    const out = value.map((item) => {
      const next = atPath(item, segments, fn);
      if (next !== item) touched = true;
      return next;
    });
    return touched ? out : value;
  }
  if (!isObject(value)) return value;
  const plain = plainObject(value);
  if (plain !== value) return atPath(plain, segments, fn);
  if (segments.length === 0) return fn(value);
  const head = segments[0] as string;
  if (!(head in value)) return value;
  const child = atPath(value[head], segments.slice(1), fn);
  return child === value[head] ? value : { ...value, [head]: child };
}

/**
 * A plain object as JSON would see it: `toJSON()`'s result (a Date, an entity with its own
 * `toJSON`), or a class instance's own enumerable data. Plain objects come back as they are.
 */
function plainObject(value: JsonObject): unknown {
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return withJson.toJSON();
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? value : { ...value };
}

/** A copy of `o` with `key` renamed to `newKey` (or left out when `newKey` is undefined), the key order kept. */
function withKey(o: JsonObject, key: string, newKey: string | undefined): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) {
    if (k !== key) out[k] = o[k];
    else if (newKey !== undefined) out[newKey] = o[k];
  }
  return out;
}

/**
 * One resource object with the instructions applied: `up` migrates an older request to this
 * version, otherwise a response of this version is migrated down to the older one. Returns a new
 * object where something changed (the input is never mutated; untouched values are shared).
 */
export function applyFieldInstructions(
  resource: JsonObject,
  instructions: readonly FieldInstruction[],
  direction: 'up' | 'down',
): JsonObject {
  const flat = flatPlan(instructions, direction);
  if (flat) return applyFlat(resource, flat);
  const ordered = direction === 'up' ? instructions : [...instructions].reverse();
  let current: unknown = resource;
  for (const ins of ordered) {
    const path = ins.kind === 'renamed' ? (direction === 'up' ? ins.from : ins.to) : ins.name;
    const segments = path.split('.');
    const key = segments.pop()!;
    let fn: (p: JsonObject) => JsonObject;
    switch (ins.kind) {
      case 'renamed': {
        const newKey = (direction === 'up' ? ins.to : ins.from).split('.').pop()!;
        fn = (p) => (key in p && !(newKey in p) ? withKey(p, key, newKey) : p);
        break;
      }
      case 'added':
        fn =
          direction === 'down'
            ? (p) => (key in p ? withKey(p, key, undefined) : p)
            : (p) => (!(key in p) && ins.default !== undefined ? { ...p, [key]: ins.default } : p);
        break;
      case 'removed':
        fn =
          direction === 'up'
            ? (p) => (key in p ? withKey(p, key, undefined) : p)
            : (p) =>
                key in p
                  ? p
                  : {
                      ...p,
                      [key]:
                        typeof ins.default === 'function'
                          ? (ins.default as (r: JsonObject) => unknown)(p)
                          : ins.default,
                    };
        break;
      case 'changed': {
        const convert = direction === 'up' ? ins.up : ins.down;
        fn = (p) => (key in p ? { ...p, [key]: convert(p[key], p) } : p);
        break;
      }
    }
    current = atPath(current, segments, fn);
  }
  return current as JsonObject;
}

/** Top-level instructions only (no dotted names), as one pass over the keys. */
interface FlatPlan {
  /** Key → its new name, or null to leave it out. */
  readonly keys: ReadonlyMap<string, string | null>;
  /** Values converted after renaming (by the new name). */
  readonly convert: ReadonlyMap<string, (value: unknown, resource: JsonObject) => unknown>;
  /** Keys added when missing, with their default (a value or a function of the resource). */
  readonly defaults: readonly (readonly [string, unknown])[];
  /** The keys of `keys` and `convert`: a resource holding none of them (and every default) is left as it is. */
  readonly present: readonly string[];
}

const flatPlans = new WeakMap<
  readonly FieldInstruction[],
  { up?: FlatPlan | null; down?: FlatPlan | null }
>();

/**
 * The instructions as one pass over a resource's keys, when every name is top-level and no name
 * is touched twice (so the order they are applied in cannot matter); otherwise null.
 */
function flatPlan(instructions: readonly FieldInstruction[], direction: 'up' | 'down'): FlatPlan | null {
  let cached = flatPlans.get(instructions);
  if (cached === undefined) flatPlans.set(instructions, (cached = {}));
  const known = cached[direction];
  if (known !== undefined) return known;
  const keys = new Map<string, string | null>();
  const convert = new Map<string, (value: unknown, resource: JsonObject) => unknown>();
  const defaults: [string, unknown][] = [];
  const touched = new Set<string>();
  let flat = true;
  const claim = (...names: string[]) => {
    for (const n of names) {
      if (n.includes('.') || touched.has(n)) flat = false;
      touched.add(n);
    }
  };
  for (const ins of instructions) {
    switch (ins.kind) {
      case 'renamed': {
        const [from, to] = direction === 'up' ? [ins.from, ins.to] : [ins.to, ins.from];
        claim(from, to);
        keys.set(from, to);
        break;
      }
      case 'added':
        claim(ins.name);
        if (direction === 'down') keys.set(ins.name, null);
        else if (ins.default !== undefined) defaults.push([ins.name, ins.default]);
        break;
      case 'removed':
        claim(ins.name);
        if (direction === 'up') keys.set(ins.name, null);
        else defaults.push([ins.name, ins.default]);
        break;
      case 'changed':
        claim(ins.name);
        convert.set(ins.name, direction === 'up' ? ins.up : ins.down);
        break;
    }
  }
  const plan = flat ? { keys, convert, defaults, present: [...keys.keys(), ...convert.keys()] } : null;
  cached[direction] = plan;
  return plan;
}

function applyFlat(resource: JsonObject, plan: FlatPlan): JsonObject {
  const source = plainObject(resource) as JsonObject;
  if (typeof source !== 'object' || source === null) return source;
  let hit = false;
  const present = plan.present;
  for (let i = 0; i < present.length && !hit; i++) hit = (present[i] as string) in source;
  for (let i = 0; i < plan.defaults.length && !hit; i++) {
    const [key] = plan.defaults[i]!;
    hit = !(key in source);
  }
  if (!hit) return source;
  const out: JsonObject = {};
  for (const key of Object.keys(source)) {
    const to = plan.keys.get(key);
    if (to === null) continue;
    const name = to ?? key;
    if (to !== undefined && name in source && !plan.keys.has(name)) {
      out[key] = source[key]; // the new name is taken: leave this one as it is
      continue;
    }
    const convert = plan.convert.get(name);
    out[name] = convert ? convert(source[key], source) : source[key];
  }
  for (const [key, value] of plan.defaults)
    if (!(key in out))
      out[key] = typeof value === 'function' ? (value as (r: JsonObject) => unknown)(source) : value;
  return out;
}
