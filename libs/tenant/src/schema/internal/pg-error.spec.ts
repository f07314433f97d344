import { describe, expect, it } from 'vitest';
import { QueryFailedError } from 'typeorm';
import { describeError } from './pg-error.js';

const pgError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('describeError', () => {
  it.each([
    [
      'a TypeORM query error',
      new QueryFailedError('SELECT 1/0', [], pgError('division by zero', '22012')),
      { message: 'division by zero', code: '22012' },
    ],
    [
      'a Kwik error',
      Object.assign(new Error('[KWIK_X] nope'), { code: 'KWIK_X' }),
      { message: '[KWIK_X] nope', code: 'KWIK_X' },
    ],
    ['a plain error', new Error('boom'), { message: 'boom' }],
    ['a thrown string', 'boom', { message: 'boom' }],
    [
      'a failed rollback',
      new AggregateError(
        [pgError('deadlock detected', '40P01'), new Error('connection lost')],
        'deadlock detected (and the rollback failed: connection lost)',
      ),
      { message: 'deadlock detected (and the rollback failed: connection lost)', code: '40P01' },
    ],
  ])('describes %s', (_case, error, expected) => {
    expect(describeError(error)).toEqual(expected);
  });
});
