import { createHash } from 'node:crypto';
import { CacheError, CacheErrorCode } from '../cache.errors.js';

/**
 * Serialized arguments longer than this are replaced by their SHA-1 (keys stay short in Redis).
 *
 * @example
 * stableArgs(['x'.repeat(STABLE_ARGS_MAX_LENGTH)], 'Svc.find').startsWith('#') // true
 */
export const STABLE_ARGS_MAX_LENGTH = 200;

function refuse(where: string, path: string, what: string): CacheError {
  return new CacheError(
    CacheErrorCode.InvalidOptions,
    `${where}: ${path} is ${what}, which cannot be part of a cache key. Cached methods are keyed by their arguments: pass plain data (strings, numbers, booleans, Dates, arrays, plain objects), or remove @Cache() from the method.`,
  );
}

function sortedJoin(parts: string[]): string {
  return parts.sort().join(',');
}

function encode(value: unknown, where: string, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return String(value);
    case 'number':
      // NaN / ±Infinity are written out (JSON would turn them into null); -0 equals 0.
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      throw refuse(where, path, 'a function');
    case 'symbol':
      throw refuse(where, path, 'a symbol');
  }
  if (value === null) return 'null';
  const object = value as object;
  if (object instanceof Date)
    return `Date(${Number.isNaN(object.getTime()) ? 'Invalid' : object.toISOString()})`;
  if (object instanceof RegExp) return `RegExp(${String(object)})`;
  if (object instanceof ArrayBuffer) return `ArrayBuffer(${Buffer.from(object).toString('base64')})`;
  if (typeof (object as { then?: unknown }).then === 'function') throw refuse(where, path, 'a promise');
  if (ArrayBuffer.isView(object))
    return `${object.constructor.name}(${Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('base64')})`;
  if (seen.has(object)) throw refuse(where, path, 'a circular structure');
  seen.add(object);
  try {
    return encodeObject(object, where, path, seen);
  } finally {
    seen.delete(object);
  }
}

function encodeObject(object: object, where: string, path: string, seen: Set<object>): string {
  if (Array.isArray(object)) {
    const items: string[] = [];
    // Indexes, not forEach: holes are encoded as undefined instead of being skipped.
    for (let i = 0; i < object.length; i++) items.push(encode(object[i], where, `${path}[${i}]`, seen));
    return `[${items.join(',')}]`;
  }
  if (object instanceof Map) {
    const entries = [...object].map(
      ([k, v], i) =>
        `${encode(k, where, `${path} key ${i}`, seen)}=>${encode(v, where, `${path}.get(…)`, seen)}`,
    );
    return `Map{${sortedJoin(entries)}}`;
  }
  if (object instanceof Set)
    return `Set[${sortedJoin([...object].map((v, i) => encode(v, where, `${path} item ${i}`, seen)))}]`;
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function')
    return `${object.constructor?.name ?? 'Object'}(${encode(toJSON.call(object), where, path, seen)})`;
  const proto = Object.getPrototypeOf(object) as object | null;
  // Class instances keep their class name: a `UserId { id: 1 }` and a `PostId { id: 1 }` differ.
  const prefix = proto === null || proto === Object.prototype ? '' : (object.constructor?.name ?? '');
  const fields = Object.keys(object).map(
    (key) =>
      `${JSON.stringify(key)}:${encode((object as Record<string, unknown>)[key], where, `${path}.${key}`, seen)}`,
  );
  return `${prefix}{${sortedJoin(fields)}}`;
}

/**
 * A canonical text of a method's arguments, the variable part of its cache key: object keys sorted,
 * Dates as ISO, `undefined` distinct from `null` and from a missing argument, Maps and Sets
 * order-independent. Above {@link STABLE_ARGS_MAX_LENGTH} characters it is replaced by `#` and the
 * SHA-1 of the text (base64url). Functions, symbols and circular structures cannot be keyed: they
 * throw `KWIK_CACHE_INVALID_OPTIONS` naming `where` and the argument.
 *
 * @example
 * stableArgs([{ b: 1, a: new Date(0) }], 'Rates.get') // '[{"a":Date(1970-01-01T00:00:00.000Z),"b":1}]'
 * stableArgs(['x'.repeat(500)], 'Rates.get')          // '#3Jq…' (27 characters)
 */
export function stableArgs(args: readonly unknown[], where: string): string {
  const seen = new Set<object>();
  const text = `[${Array.from(args, (arg, i) => encode(arg, where, `argument ${i + 1}`, seen)).join(',')}]`;
  if (text.length <= STABLE_ARGS_MAX_LENGTH) return text;
  return `#${createHash('sha1').update(text).digest('base64url')}`;
}
