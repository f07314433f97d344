import { describe, expect, it } from 'vitest';
import { CacheError } from '../cache.errors.js';
import { decodeValue, encodeValue } from './value-codec.js';

const roundTrip = <T>(value: T): T => decodeValue<T>(encodeValue(value, 'PostsService.find'));

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}

  format(): string {
    return `${this.amount} ${this.currency}`;
  }
}

describe('encodeValue / decodeValue', () => {
  it.each<[string, unknown]>([
    ['a string', 'héllo ✓'],
    ['a number', 42.5],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', false],
    ['a bigint', 12_345_678_901_234_567_890n],
    ['a Date', new Date('2024-05-01T12:00:00.000Z')],
    ['a Map', new Map([['a', { n: 1 }]])],
    ['a Set', new Set(['x', 'y'])],
    ['nested plain data', { posts: [{ id: 1, title: 'a', tags: ['x'], at: new Date(0) }], total: 1 }],
  ])('returns %s as it was stored', (_label, value) => {
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps Buffers byte-exact, including zero bytes and invalid UTF-8', () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80]);
    const back = roundTrip({ body: bytes });
    expect(Buffer.from(back.body).equals(bytes)).toBe(true);
  });

  it('keeps cycles', () => {
    const node: { name: string; self?: unknown } = { name: 'root' };
    node.self = node;
    const back = roundTrip(node);
    expect(back.self).toBe(back);
  });

  it('returns class instances as plain data (their methods are not stored)', () => {
    const back = roundTrip(new Money(5, 'EUR'));
    expect(back).toEqual({ amount: 5, currency: 'EUR' });
    expect(back).not.toBeInstanceOf(Money);
  });

  it('gives every caller its own copy', () => {
    const encoded = encodeValue({ items: [1, 2] }, 'PostsService.find');
    const first = decodeValue<{ items: number[] }>(encoded);
    first.items.push(3);
    expect(decodeValue(encoded)).toEqual({ items: [1, 2] });
  });

  it('decodes bytes that came back as a Uint8Array', () => {
    const encoded = encodeValue({ ok: true }, 'PostsService.find');
    expect(decodeValue(new Uint8Array(encoded))).toEqual({ ok: true });
  });

  it.each<[string, unknown]>([
    ['a function', () => 1],
    ['a symbol', Symbol('post')],
    ['a promise', Promise.resolve(1)],
    ['an object holding a function', { id: 1, load: () => 2 }],
    ['a WeakMap', new WeakMap()],
  ])('refuses %s with KWIK_CACHE_UNSERIALIZABLE naming the method', (_label, value) => {
    let error: unknown;
    try {
      encodeValue(value, 'PostsService.find');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('KWIK_CACHE_UNSERIALIZABLE');
    expect((error as CacheError).message).toContain(
      'PostsService.find returned a value the cache cannot store',
    );
    expect((error as CacheError).cause).toBeInstanceOf(Error);
  });
});
