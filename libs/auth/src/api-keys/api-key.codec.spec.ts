import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX_ALPHABET, API_KEY_SECRET_ALPHABET, ApiKeyCodec } from './api-key.codec.js';

const codec = new ApiKeyCodec();
const PREFIX = '7f3k9q2m1x';
const SECRET = 'Qm8ZbT3xw9LkP2vR7sN4yH6cJ1dF5gA0eKqWtUoIpXa';

describe('ApiKeyCodec', () => {
  it('generates kwik_<prefix>_<secret> keys that parse back and match their hash', () => {
    const { key, prefix, hash } = codec.generate();
    expect(key).toMatch(/^kwik_[0-9a-hjkmnp-tv-z]{10}_[0-9A-Za-z]{43}$/);
    const parsed = codec.parse(key);
    expect(parsed?.prefix).toBe(prefix);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(codec.matches(parsed!.secret, hash)).toBe(true);
  });

  it('never repeats prefixes or secrets and uses the whole alphabet', () => {
    const keys = Array.from({ length: 500 }, () => codec.generate());
    const parsed = keys.map((k) => codec.parse(k.key)!);
    expect(new Set(parsed.map((p) => p.prefix)).size).toBe(500);
    expect(new Set(parsed.map((p) => p.secret)).size).toBe(500);
    expect(new Set(parsed.flatMap((p) => [...p.prefix]))).toEqual(new Set(API_KEY_PREFIX_ALPHABET));
    expect(new Set(parsed.flatMap((p) => [...p.secret]))).toEqual(new Set(API_KEY_SECRET_ALPHABET));
  });

  it('hashes the secret with SHA-256 hex', () => {
    expect(codec.hash(SECRET)).toBe(createHash('sha256').update(SECRET).digest('hex'));
  });

  it('parses a well-formed key', () => {
    expect(codec.parse(`kwik_${PREFIX}_${SECRET}`)).toEqual({ prefix: PREFIX, secret: SECRET });
  });

  it.each([
    ['another tag', `kiwk_${PREFIX}_${SECRET}`],
    ['an uppercase prefix', `kwik_${PREFIX.toUpperCase()}_${SECRET}`],
    ['an ambiguous letter in the prefix', `kwik_7f3k9q2m1l_${SECRET}`],
    ['an underscore inside the secret', `kwik_${PREFIX}_${SECRET.slice(0, 20)}_${SECRET.slice(21)}`],
    ['a short secret', `kwik_${PREFIX}_${SECRET.slice(1)}`],
    ['a long secret', `kwik_${PREFIX}_${SECRET}A`],
    ['a short prefix and long secret', `kwik_${PREFIX.slice(1)}_${SECRET}A`],
    ['surrounding whitespace', ` kwik_${PREFIX}_${SECRET.slice(1)}`],
    ['a non-ASCII character', `kwik_${PREFIX}_${SECRET.slice(1)}é`],
    ['a bearer token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc'],
    ['an empty string', ''],
    ['an oversized header', `kwik_${PREFIX}_${'A'.repeat(100_000)}`],
    ['a non-string', 42],
  ])('rejects %s', (_, raw) => {
    expect(codec.parse(raw)).toBeNull();
  });

  it.each([
    ['the right secret', SECRET, codec.hash(SECRET), true],
    ['a different secret', `${SECRET.slice(1)}B`, codec.hash(SECRET), false],
    ['an uppercase stored hash', SECRET, codec.hash(SECRET).toUpperCase(), false],
    ['a truncated stored hash', SECRET, codec.hash(SECRET).slice(2), false],
    ['an empty stored hash', SECRET, '', false],
  ])('matches() with %s → %s', (_, secret, stored, expected) => {
    expect(codec.matches(secret, stored)).toBe(expected);
  });
});
