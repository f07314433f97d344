import { describe, expect, it } from 'vitest';
import { keysetSegments, type KeysetKey } from './keyset.js';

const key = (sql: string, descending: boolean, nullable = false): KeysetKey => ({
  sql,
  descending,
  nullable,
});
const id = (descending: boolean) => key('id', descending);
const render = (segments: ReturnType<typeof keysetSegments>) => segments.map((s) => s.sql);

describe('keysetSegments', () => {
  it.each([
    [
      'non-null keys, one direction: one row comparison',
      [key('a', true), id(true)],
      [5, 'x'],
      false,
      ['(a, id) < (:c0, :c1)'],
    ],
    ['the same, reversed (before)', [key('a', true), id(true)], [5, 'x'], true, ['(a, id) > (:c0, :c1)']],
    ['the primary key alone', [id(false)], ['x'], false, ['id > :c0']],
    [
      'nullable leading key after a value: its non-null rows, then its nulls',
      [key('p', true, true), id(true)],
      ['2026-01-01', 'x'],
      false,
      ['p IS NOT NULL AND (p, id) < (:c0, :c1)', 'p IS NULL'],
    ],
    [
      'nullable leading key after a null: only later nulls',
      [key('p', true, true), id(true)],
      [null, 'x'],
      false,
      ['p IS NULL AND id < :c1'],
    ],
    [
      'nullable leading key before a null: earlier nulls, then every non-null row',
      [key('p', true, true), id(true)],
      [null, 'x'],
      true,
      ['p IS NULL AND id > :c1', 'p IS NOT NULL'],
    ],
    [
      'nullable leading key before a value: non-null rows only',
      [key('p', false, true), id(false)],
      ['2026-01-01', 'x'],
      true,
      ['p IS NOT NULL AND (p, id) < (:c0, :c1)'],
    ],
    [
      'mixed directions: the general expansion',
      [key('a', true), key('b', false), id(false)],
      [5, 'n', 'x'],
      false,
      ['((a < :c0) OR (a = :c0 AND b > :c1) OR (a = :c0 AND b = :c1 AND id > :c2))'],
    ],
    [
      'a nullable key after the first, forward: nulls after values',
      [key('a', false), key('p', false, true), id(false)],
      [1, 'v', 'x'],
      false,
      ['((a > :c0) OR (a = :c0 AND (p > :c1 OR p IS NULL)) OR (a = :c0 AND p = :c1 AND id > :c2))'],
    ],
    [
      'a nullable key after the first at null, reversed: every non-null value comes next',
      [key('a', false), key('p', false, true), id(false)],
      [1, null, 'x'],
      true,
      ['((a < :c0) OR (a = :c0 AND p IS NOT NULL) OR (a = :c0 AND p IS NULL AND id < :c2))'],
    ],
  ])('%s', (_case, keys, values, reverse, expected) => {
    expect(render(keysetSegments(keys, values, reverse, 'c'))).toEqual(expected);
  });

  it('binds the cursor values as parameters, never as SQL text', () => {
    const [segment] = keysetSegments([key('a', false), id(false)], ["'; DROP TABLE x;--", 'y'], false, 'c');
    expect(segment!.sql).not.toContain('DROP');
    expect(segment!.params).toEqual({ c0: "'; DROP TABLE x;--", c1: 'y' });
  });
});
