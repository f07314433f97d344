import { describe, expect, it } from 'vitest';
import { CacheError, CacheErrorCode } from '../cache.errors.js';
import { STABLE_ARGS_MAX_LENGTH, stableArgs } from './stable-args.js';

const key = (...args: unknown[]): string => stableArgs(args, 'Svc.find');

const holey: unknown[] = [1];
holey[2] = 3;

class UserId {
  constructor(readonly id: number) {}
}
class PostId {
  constructor(readonly id: number) {}
}

describe('stableArgs', () => {
  it.each<[string, unknown[], string]>([
    ['strings, quoted', ['a', 'b"c'], '["a","b\\"c"]'],
    ['numbers and booleans', [1, 2.5, true, false], '[1,2.5,true,false]'],
    [
      'NaN and infinities (not null as in JSON)',
      [Number.NaN, Infinity, -Infinity],
      '[NaN,Infinity,-Infinity]',
    ],
    ['-0 as 0', [-0], '[0]'],
    ['bigints', [10n], '[10n]'],
    ['null and undefined', [null, undefined], '[null,undefined]'],
    ['Dates as ISO', [new Date(0)], '[Date(1970-01-01T00:00:00.000Z)]'],
    ['invalid Dates', [new Date('nope')], '[Date(Invalid)]'],
    ['objects with sorted keys', [{ b: 1, a: { d: 2, c: 3 } }], '[{"a":{"c":3,"d":2},"b":1}]'],
    ['array holes as undefined', [holey], '[[1,undefined,3]]'],
    ['Buffers as base64', [Buffer.from('hi')], '[Buffer(aGk=)]'],
    ['regular expressions', [/a+/gi], '[RegExp(/a+/gi)]'],
    ['no arguments', [], '[]'],
  ])('writes %s', (_, args, expected) => {
    expect(key(...args)).toBe(expected);
  });

  it('does not depend on the order of object keys, Map entries or Set items', () => {
    expect(key({ a: 1, b: 2 })).toBe(key({ b: 2, a: 1 }));
    expect(
      key(
        new Map([
          ['x', 1],
          ['y', 2],
        ]),
      ),
    ).toBe(
      key(
        new Map([
          ['y', 2],
          ['x', 1],
        ]),
      ),
    );
    expect(key(new Set([1, 2, 3]))).toBe(key(new Set([3, 1, 2])));
  });

  it.each<[string, unknown[], unknown[]]>([
    ['undefined from a missing argument', [1, undefined], [1]],
    ['undefined from null', [undefined], [null]],
    ['a missing property from an undefined one', [{}], [{ a: undefined }]],
    ['a Date from its ISO string', [new Date(0)], ['1970-01-01T00:00:00.000Z']],
    ['a number from a numeric string', [1], ['1']],
    ['a bigint from a number', [1n], [1]],
    ['instances of different classes with equal fields', [new UserId(1)], [new PostId(1)]],
    ['a class instance from a plain object', [new UserId(1)], [{ id: 1 }]],
    ['an array from an object with index keys', [['a']], [{ 0: 'a' }]],
    ['a Map from a plain object', [new Map([['a', 1]])], [{ a: 1 }]],
    ['argument boundaries', [['a', 'b']], ['a', 'b']],
  ])('keeps %s apart', (_, a, b) => {
    expect(key(...a)).not.toBe(key(...b));
  });

  it('uses toJSON() of objects that define it, under their class name', () => {
    const money = { amount: 5, toJSON: () => '5.00 EUR' };
    expect(key(money)).toBe('[Object("5.00 EUR")]');
  });

  it('allows the same object twice (a repeated reference is not a cycle)', () => {
    const shared = { a: 1 };
    expect(key([shared, shared])).toBe('[[{"a":1},{"a":1}]]');
  });

  it(`hashes texts longer than ${STABLE_ARGS_MAX_LENGTH} characters (stable, short, distinct)`, () => {
    const long = key('x'.repeat(500));
    expect(long).toMatch(/^#[\w-]{27}$/);
    expect(key('x'.repeat(500))).toBe(long);
    expect(key('x'.repeat(501))).not.toBe(long);
    expect(key('x'.repeat(STABLE_ARGS_MAX_LENGTH - 4))).toBe(`["${'x'.repeat(STABLE_ARGS_MAX_LENGTH - 4)}"]`);
  });

  it.each<[string, unknown[], RegExp]>([
    ['a function', [1, () => 1], /argument 2 is a function/],
    ['a symbol', [{ s: Symbol('x') }], /argument 1\.s is a symbol/],
    ['a promise', [Promise.resolve(1)], /argument 1 is a promise/],
    [
      'a circular structure',
      [
        (() => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        })(),
      ],
      /circular/,
    ],
  ])('refuses %s with KWIK_CACHE_INVALID_OPTIONS naming the method', (_, args, message) => {
    let error: unknown;
    try {
      key(...args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({
      code: CacheErrorCode.InvalidOptions,
      message: expect.stringMatching(message),
    });
    expect((error as Error).message).toContain('Svc.find');
  });
});
