import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CursorCodec, CursorRejected, MAX_CURSOR_LENGTH } from './cursor.codec.js';

const codec = new CursorCodec('a-test-secret-of-at-least-32-characters!');
const values = ['2026-01-01 10:00:00.123456+00', '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01'];

describe('CursorCodec', () => {
  it('round-trips the key values it signed', () => {
    const cursor = codec.encode('posts', '-publishedAt,-id', values);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(codec.decode('posts', '-publishedAt,-id', cursor, 2)).toEqual(values);
  });

  it.each([
    ['a 40-character secret', 'a-test-secret-of-at-least-32-characters!'],
    ['a 64-byte secret (one SHA-256 block)', 'k'.repeat(64)],
    ['a secret longer than a block (hashed first)', 'é'.repeat(50)],
  ])(
    'signs with HMAC-SHA256 of the resource, sort and payload, truncated to 16 bytes (%s)',
    (_name, secret) => {
      const cursor = new CursorCodec(secret).encode('posts', '-publishedAt,-id', values);
      const [body, signature] = cursor.split('.') as [string, string];
      const expected = createHmac('sha256', secret)
        .update(`kwik-cursor\nposts\n-publishedAt,-id\n${body}`)
        .digest()
        .subarray(0, 16)
        .toString('base64url');
      expect(signature).toBe(expected);
      // The keyed states are reused: a second cursor is signed as if it were the first.
      const again = new CursorCodec(secret);
      again.encode('comments', 'id', ['x']);
      expect(again.encode('posts', '-publishedAt,-id', values)).toBe(cursor);
    },
  );

  const good = codec.encode('posts', '-publishedAt,-id', values);
  const [payload, signature] = good.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify(['2030-01-01', values[1]])).toString('base64url');
  it.each([
    ['a tampered payload', 'posts', '-publishedAt,-id', `${forged}.${signature}`, /not issued/],
    [
      'a tampered signature',
      'posts',
      '-publishedAt,-id',
      `${payload}.${'A'.repeat(signature.length)}`,
      /not issued/,
    ],
    ['another resource', 'comments', '-publishedAt,-id', good, /not issued/],
    ['another sort', 'posts', 'title,id', good, /sort changed/],
    [
      'another secret',
      'posts',
      '-publishedAt,-id',
      new CursorCodec('x'.repeat(40)).encode('posts', '-publishedAt,-id', values),
      /not issued/,
    ],
    ['garbage', 'posts', '-publishedAt,-id', 'not-a-cursor', /malformed/],
    ['an empty cursor', 'posts', '-publishedAt,-id', '', /empty or too long/],
    ['an overlong cursor', 'posts', '-publishedAt,-id', `${'a'.repeat(MAX_CURSOR_LENGTH)}.b`, /too long/],
    ['SQL in the cursor', 'posts', '-publishedAt,-id', "x'; DROP TABLE posts;--.abc", /malformed/],
  ])('refuses %s', (_case, resource, sort, cursor, message) => {
    expect(() => codec.decode(resource, sort, cursor, 2)).toThrow(CursorRejected);
    expect(() => codec.decode(resource, sort, cursor, 2)).toThrow(message);
  });

  it('refuses a signed cursor with the wrong number of keys', () => {
    const cursor = codec.encode('posts', 'id', ['only-one']);
    expect(() => codec.decode('posts', 'id', cursor, 2)).toThrow(/malformed/);
  });
});
