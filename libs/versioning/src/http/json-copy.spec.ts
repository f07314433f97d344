import { describe, expect, it } from 'vitest';
import { jsonCopy } from './versioning-http.service.js';

class View {
  constructor(
    readonly id: string,
    readonly at: Date,
  ) {}
  hidden = undefined;
  method(): void {}
}

describe('jsonCopy', () => {
  it.each([
    [
      'a page of rows',
      { data: [{ id: 'a', n: 1, tags: ['x'], nested: { ok: true } }], meta: { limit: 1, next: null } },
    ],
    [
      'Dates, undefined and functions',
      { at: new Date('2026-12-03T10:00:00Z'), u: undefined, f: () => 1, list: [undefined, () => 1, 2] },
    ],
    [
      'class instances and toJSON',
      { view: new View('v', new Date(0)), custom: { toJSON: () => ({ replaced: true }) } },
    ],
    ['non-finite numbers', { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: [Number.NaN] }],
    ['a Buffer', { b: Buffer.from('hi') }],
    ['primitives', 'text'],
  ])('copies %s as a JSON round trip would', (_name, value) => {
    expect(jsonCopy(value)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('does not share objects with the original', () => {
    const original = { data: [{ id: 'a', nested: { x: 1 } }] };
    const copy = jsonCopy(original) as typeof original;
    copy.data[0]!.nested.x = 2;
    expect(original.data[0]!.nested.x).toBe(1);
  });
});
