import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecoveryCodes } from './recovery-codes.js';

const recovery = new RecoveryCodes();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('RecoveryCodes', () => {
  it('generates 10 distinct xxxx-xxxx-xxxx codes and the SHA-256 of each, in order', () => {
    const { codes, hashes } = recovery.generate();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(hashes).toEqual(codes.map((c) => sha256(c.replaceAll('-', ''))));
  });

  it('generates a requested number of codes, never twice the same set', () => {
    expect(recovery.generate(3).codes).toHaveLength(3);
    expect(recovery.generate(1).codes).not.toEqual(recovery.generate(1).codes);
  });

  it('consumes each code once, returning the hashes that remain', () => {
    const { codes, hashes } = recovery.generate(3);
    const afterFirst = recovery.consume(codes[1], hashes);
    expect(afterFirst).toEqual([hashes[0], hashes[2]]);
    expect(recovery.consume(codes[1], afterFirst!)).toBeNull();
    expect(recovery.consume(codes[0], afterFirst!)).toEqual([hashes[2]]);
  });

  it.each([
    ['uppercase', (c: string) => c.toUpperCase()],
    ['spaces instead of dashes', (c: string) => c.replaceAll('-', ' ')],
    ['no separators', (c: string) => c.replaceAll('-', '')],
    ['surrounding whitespace', (c: string) => `  ${c}\n`],
  ])('accepts a code typed with %s', (_, typed) => {
    const { codes, hashes } = recovery.generate(2);
    expect(recovery.consume(typed(codes[0]), hashes)).toEqual([hashes[1]]);
  });

  it('reads look-alike letters as the digits they resemble', () => {
    const hashes = [sha256('0123abcd1010')];
    expect(recovery.consume('O123-ABCD-lOIO', hashes)).toEqual([]);
  });

  it.each([
    ['a wrong code', '0000-0000-0000'],
    ['a too short code', 'abcd-efgh-jkm'],
    ['a too long code', 'abcd-efgh-jkmn-p'],
    ['a character outside the alphabet', 'abcd-efgh-jku!'],
    ['an empty string', ''],
    ['a huge input', 'a'.repeat(10_000)],
  ])('refuses %s', (_, code) => {
    const { hashes } = recovery.generate(3);
    expect(recovery.consume(code, hashes)).toBeNull();
  });

  it('never matches the hash of an empty or malformed code, nor a corrupt stored hash', () => {
    expect(recovery.consume('', [sha256('')])).toBeNull();
    expect(recovery.consume('!!', ['not-a-hash'])).toBeNull();
  });

  it.each([0, 101, 2.5])('refuses to generate %s codes', (count) => {
    expect(() => recovery.generate(count)).toThrow(
      expect.objectContaining({ code: 'KWIK_AUTH_INVALID_OPTIONS' }),
    );
  });
});
