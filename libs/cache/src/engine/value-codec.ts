import { deserialize, serialize } from 'node:v8';
import { CacheError, CacheErrorCode } from '../cache.errors.js';

/**
 * Encodes a method's result for the store with the structured-clone algorithm (Dates, Maps, Sets,
 * BigInts, Buffers and cycles survive; class instances come back as plain objects). Functions,
 * symbols and promises cannot be stored: that is a `KWIK_CACHE_UNSERIALIZABLE` error at the first
 * call, never a silent miss.
 */
export function encodeValue(value: unknown, name: string): Buffer {
  try {
    return serialize(value);
  } catch (error) {
    throw new CacheError(
      CacheErrorCode.Unserializable,
      `${name} returned a value the cache cannot store (${(error as Error).message}). Return plain data (objects, arrays, strings, numbers, Dates, Buffers), or remove @Cache() from it.`,
      { cause: error },
    );
  }
}

/** A fresh copy of a value encoded by {@link encodeValue} (callers may mutate it freely). */
export function decodeValue<T>(encoded: Buffer | Uint8Array): T {
  return deserialize(Buffer.isBuffer(encoded) ? encoded : Buffer.from(encoded)) as T;
}
