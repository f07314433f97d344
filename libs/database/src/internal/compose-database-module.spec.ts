import { describe, expect, it } from 'vitest';
import { isConnectionError } from './compose-database-module.js';

describe('isConnectionError (what a server boot retries)', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    [Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }), true],
    [Object.assign(new Error('the database system is starting up'), { code: '57P03' }), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [new Error('Connection terminated unexpectedly'), true],
    [Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), false],
    [Object.assign(new Error('password authentication failed'), { code: '28P01' }), false],
    [undefined, false],
  ])('%s → %s', (error, retry) => {
    expect(isConnectionError(error)).toBe(retry);
  });
});
