import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DbFailureProblem, describeDbFailure } from './db-failure.js';

const pgError = (fields: Record<string, string>) =>
  new QueryFailedError('INSERT ...', [], Object.assign(new Error('pg'), fields));

describe('describeDbFailure', () => {
  it.each([
    [
      { code: '23505', detail: 'Key (title)=(a) already exists.' },
      { status: 409, column: 'title' },
    ],
    [
      { code: '23505', detail: 'Key ("tenantId", slug)=(x, y) already exists.' },
      { status: 409, column: undefined },
    ],
    [
      { code: '23503', detail: 'Key (authorId)=(x) is not present in table "users".' },
      { status: 400, column: 'authorId' },
    ],
    [{ code: '23503', detail: 'Key (id)=(x) is still referenced from table "comments".' }, { status: 409 }],
    [
      { code: '23502', column: 'body' },
      { status: 400, column: 'body', message: 'body must not be null' },
    ],
    [
      { code: '23514', constraint: 'CHK_rank' },
      { status: 400, message: 'breaks the rule CHK_rank' },
    ],
    [{ code: '22001' }, { status: 400 }],
    [{ code: '40001' }, { status: 409 }],
  ])('%j → %j', (fields, expected) => {
    expect(describeDbFailure(pgError(fields))).toMatchObject(expected);
  });

  it.each([[pgError({ code: '57P01' })], [new Error('boom')], ['text']])('leaves %s alone', (error) => {
    expect(describeDbFailure(error)).toBeUndefined();
  });

  it('turns a conflict into a 409 and the rest into a 400 naming the column', () => {
    expect(new DbFailureProblem({ status: 409, message: 'x' }, 'Post').problem).toMatchObject({
      status: 409,
      kind: 'conflict',
    });
    expect(
      new DbFailureProblem({ status: 400, message: 'y', column: 'title' }, 'Post').problem,
    ).toMatchObject({
      status: 400,
      errors: [{ field: 'title', message: 'y' }],
    });
  });
});
