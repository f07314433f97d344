import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Pool, PoolClient } from 'pg';
import { SqlObserver, type SqlStatementEvent } from '../sql-observer.js';
import { createKwikClient, createKwikPgDriver } from './pg-driver.js';

const URL = 'postgres://postgres@127.0.0.1:5432/postgres';

describe('createKwikClient observing statements (against the PostgreSQL server)', () => {
  const observer = new SqlObserver();
  const events: SqlStatementEvent[] = [];
  let client: Client;

  beforeAll(async () => {
    client = new (createKwikClient({ observer }))({ connectionString: URL });
    await client.connect();
    observer.subscribe((e) => events.push(e));
  });

  afterAll(() => client.end());

  it.each([
    [
      'text and values',
      () => client.query('SELECT $1::int AS n UNION ALL SELECT 2', [1]),
      'SELECT $1::int AS n UNION ALL SELECT 2',
      1,
      2,
    ],
    [
      'a query config',
      () => client.query({ text: 'SELECT $1::text, $2::text', values: ['a', 'b'] }),
      'SELECT $1::text, $2::text',
      2,
      1,
    ],
    [
      'a callback',
      () =>
        new Promise((ok, fail) =>
          client.query('SELECT 1; SELECT 2', (e: Error | null, r: unknown) => (e ? fail(e) : ok(r))),
        ),
      'SELECT 1; SELECT 2',
      0,
      2,
    ],
  ])('reports a statement sent with %s', async (_form, send, sql, paramCount, rowCount) => {
    events.length = 0;
    await send();
    expect(events).toEqual([{ sql, paramCount, rowCount, durationMs: expect.any(Number) }]);
  });

  it('reports a failed statement with its error and still rejects', async () => {
    events.length = 0;
    await expect(client.query('SELEC 1')).rejects.toThrow(/syntax error/);
    expect(events).toEqual([
      expect.objectContaining({ sql: 'SELEC 1', rowCount: null, error: expect.any(Error) }),
    ]);
  });
});

describe('createKwikPgDriver', () => {
  it.each([
    ['a promise', (pool: Pool) => pool.connect()],
    ['a callback', (pool: Pool) => new Promise((ok, fail) => pool.connect((e, c) => (e ? fail(e) : ok(c))))],
  ])('refuses connections through %s while refuse() answers an error', async (_form, connect) => {
    let refusal: Error | undefined = new Error('refused');
    const driver = createKwikPgDriver(() => refusal);
    const pool = new driver.Pool({ connectionString: URL, max: 1 });
    try {
      await expect(connect(pool)).rejects.toBe(refusal);
      refusal = undefined;
      const client = (await connect(pool)) as PoolClient;
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      client.release();
    } finally {
      await pool.end();
    }
    expect(driver.Client).toBeDefined();
  });
});
