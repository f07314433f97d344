import { describe, expect, it } from 'vitest';
import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';
import { describeConnectFailure, isUnreachable } from './connect-failure.js';

const pgError = (message: string, code: string) => Object.assign(new Error(message), { code });
const SERVER_URL = 'postgres://app:s3cret@db.internal:6543/shop';

describe('isUnreachable (what a server boot retries)', () => {
  it.each([
    [pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true],
    [pgError('getaddrinfo ENOTFOUND db', 'ENOTFOUND'), true],
    [pgError('the database system is starting up', '57P03'), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [new Error('Connection terminated unexpectedly'), true],
    [new DatabaseError(DatabaseErrorCode.Unreachable, 'down'), true],
    [pgError('relation "x" does not exist', '42P01'), false],
    [pgError('password authentication failed', '28P01'), false],
    [pgError('database "x" does not exist', '3D000'), false],
    [undefined, false],
  ])('%s → %s', (error, retry) => {
    expect(isUnreachable(error)).toBe(retry);
  });
});

describe('describeConnectFailure', () => {
  it('names the missing database and the command that creates it', () => {
    const error = describeConnectFailure(pgError('database "shop" does not exist', '3D000'), SERVER_URL);
    expect(error).toMatchObject({
      code: DatabaseErrorCode.DatabaseNotFound,
      message: expect.stringContaining('createdb -h db.internal -U app shop'),
    });
  });

  it('names the refused user without the password', () => {
    const error = describeConnectFailure(
      pgError('password authentication failed for user "app"', '28P01'),
      SERVER_URL,
    );
    expect(error).toMatchObject({ code: DatabaseErrorCode.AuthFailed });
    expect((error as Error).message).toContain('user "app"');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('names the unreachable host and port and keeps the driver error as the cause', () => {
    const cause = pgError('connect ECONNREFUSED', 'ECONNREFUSED');
    const error = describeConnectFailure(cause, SERVER_URL) as DatabaseError;
    expect(error.code).toBe(DatabaseErrorCode.Unreachable);
    expect(error.message).toMatch(/db\.internal:6543 \(ECONNREFUSED\)/);
    expect(error.cause).toBe(cause);
  });

  it('leaves other errors, and embedded mode (no url), unchanged', () => {
    const sql = pgError('syntax error', '42601');
    expect(describeConnectFailure(sql, SERVER_URL)).toBe(sql);
    const refused = pgError('connect ECONNREFUSED', 'ECONNREFUSED');
    expect(describeConnectFailure(refused, undefined)).toBe(refused);
  });
});
