import { describe, expect, it } from 'vitest';
import type { DatabaseSessionSettings } from '../database-session-scope.js';
import { SessionState } from './scoped-query.js';
import { SessionPrefixes } from './session-prefix.js';
import type { StatementKind } from './sql-statements.js';

const a: DatabaseSessionSettings = Object.freeze({
  role: 'app',
  settings: Object.freeze({ 'kwik.tenant_id': 'a' }),
});
const b: DatabaseSessionSettings = Object.freeze({
  role: 'app',
  settings: Object.freeze({ 'kwik.tenant_id': 'b' }),
});

type Step = [
  status: 'I' | 'T' | 'E' | undefined,
  kind: StatementKind,
  target: DatabaseSessionSettings | undefined,
];

/**
 * Feeds statements through a connection's state as pg would, each after a ReadyForQuery; answers the
 * tenant each prefix sets (`null`: reset), `-` for none.
 */
function run(steps: Step[], pipelined = false): string[] {
  const state = new SessionState(new SessionPrefixes(), pipelined);
  return steps.map(([status, kind, target]) => {
    if (status !== undefined) state.readyForQuery(status);
    const prefix = state.plan(kind, target);
    return prefix === undefined ? '-' : String(prefix.values.at(-1));
  });
}

describe('SessionState.plan', () => {
  it.each<[string, Step[], string[]]>([
    [
      'prefixes every scoped statement outside a transaction block',
      [
        ['I', 'plain', a],
        ['I', 'plain', a],
      ],
      ['a', 'a'],
    ],
    [
      'applies once per transaction block, and again in the next one',
      [
        ['I', 'control', a],
        ['T', 'plain', a],
        ['T', 'plain', a],
        ['T', 'control', a],
        ['I', 'control', a],
        ['T', 'plain', a],
      ],
      ['-', 'a', '-', '-', '-', 'a'],
    ],
    [
      'switches scope inside a block, and resets it for an unscoped statement',
      [
        ['T', 'plain', a],
        ['T', 'plain', b],
        ['T', 'plain', undefined],
        ['T', 'plain', undefined],
      ],
      ['a', 'b', 'null', '-'],
    ],
    [
      'applies again after any transaction control inside a block (ROLLBACK TO SAVEPOINT)',
      [
        ['T', 'plain', a],
        ['T', 'control', a],
        ['T', 'plain', a],
      ],
      ['a', '-', 'a'],
    ],
    [
      'sends no prefix in a failed transaction',
      [
        ['T', 'plain', a],
        ['E', 'plain', b],
        ['E', 'control', b],
      ],
      ['a', '-', '-'],
    ],
    ['sends no prefix for an empty statement', [['I', 'empty', a]], ['-']],
  ])('%s', (_case, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('applies on every statement in pipeline mode, where the transaction state is never current', () => {
    expect(
      run(
        [
          ['T', 'plain', a],
          [undefined, 'plain', a],
          [undefined, 'plain', undefined],
        ],
        true,
      ),
    ).toEqual(['a', 'a', '-']);
  });
});
