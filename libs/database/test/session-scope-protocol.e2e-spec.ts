import { Client, Query, type PoolClient, type QueryConfig } from 'pg';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseErrorCode, TransactionManager, type DatabaseSessionSettings } from '@kwik/database';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import {
  bootScopedApp,
  SCOPE_ROLE,
  SCOPED_SCHEMA_SQL,
  scopeA,
  scopeB,
  TENANT_A,
  TENANT_B,
  WHO_SQL,
  withClient,
  type ScopedApp,
  type Who,
} from './fixtures/session-scope.fixture.js';

const TITLES_SQL = 'SELECT title FROM scoped_notes ORDER BY title';
const schemaScope: DatabaseSessionSettings = Object.freeze({
  settings: Object.freeze({ search_path: '"tenant_acme", public' }),
});
const ghostRole: DatabaseSessionSettings = Object.freeze({
  role: 'kwik_scope_missing',
  settings: Object.freeze({}),
});

/** Runs a pg submittable (as pg-cursor / pg-query-stream would) and collects its rows. */
function stream(client: PoolClient, text: string): Promise<unknown[]> {
  const query = client.query(new Query(text)) as unknown as Query;
  const rows: unknown[] = [];
  return new Promise((resolve, reject) => {
    query.on('row', (row) => rows.push(row));
    query.on('end', () => resolve(rows));
    query.on('error', reject);
  });
}

/** `current_user` and the tenant setting, as one statement on `client` sees them. */
async function who(client: PoolClient): Promise<[string, string | null]> {
  const row = (await client.query<Who>(WHO_SQL)).rows[0]!;
  return [row.who, row.tenant];
}

const connectionOf = (em: EntityManager): PoolClient =>
  (em.queryRunner as unknown as { databaseConnection: PoolClient }).databaseConnection;

describe('DatabaseSessionScope and the pg protocol (PostgreSQL server, one connection)', () => {
  let db: TestDatabase;
  let ctx: ScopedApp;
  let admin: Client;

  beforeAll(async () => {
    db = await createTestDatabase('session_scope_protocol');
    admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(SCOPED_SCHEMA_SQL);
    await admin.query(
      'CREATE SCHEMA tenant_acme; CREATE TABLE tenant_acme.acme_only (x int); INSERT INTO tenant_acme.acme_only VALUES (1), (2)',
    );
    ctx = await bootScopedApp({ url: db.url, pool: { max: 1 } });
  });

  afterAll(async () => {
    await admin?.end();
    await ctx?.app.close();
    await db.drop();
  });

  it.each<[string, QueryConfig, RegExp, () => Promise<unknown>, QueryConfig, unknown[]]>([
    [
      'its Parse fails (the table is created afterwards)',
      { name: 'late_probe', text: 'SELECT count(*)::int AS n FROM late_table' },
      /relation "late_table" does not exist/,
      () => admin.query(`CREATE TABLE late_table (x int); GRANT SELECT ON late_table TO ${SCOPE_ROLE}`),
      { name: 'late_probe', text: 'SELECT count(*)::int AS n FROM late_table' },
      [{ n: 0 }],
    ],
    [
      'its Execute fails after a successful Parse',
      { name: 'div_probe', text: 'SELECT 10 / $1::int AS x', values: [0] },
      /division by zero/,
      async () => undefined,
      { name: 'div_probe', text: 'SELECT 10 / $1::int AS x', values: [2] },
      [{ x: 5 }],
    ],
  ])(
    'keeps a named statement usable after a scoped first use where %s',
    async (_case, failing, error, fix, next, rows) => {
      await withClient(ctx.pool, (client) =>
        ctx.tenants.as(scopeA, async () => {
          await expect(client.query(failing)).rejects.toThrow(error);
          await fix();
          expect((await client.query(next)).rows).toEqual(rows);
          expect((await client.query(next)).rows).toEqual(rows);
        }),
      );
    },
  );

  it.each([
    ['the extended protocol', { text: 'SELECT $1::int AS n', values: [1] }],
    ['the simple protocol', { text: 'SELECT 1 AS n' }],
    ['a named statement', { name: 'ghost_probe', text: 'SELECT $1::int AS n', values: [1] }],
  ])(
    'fails a statement through %s whose scope cannot apply, and the connection stays usable',
    async (_p, config) => {
      await withClient(ctx.pool, async (client) => {
        await expect(ctx.tenants.as(ghostRole, () => client.query(config))).rejects.toThrow(
          /role "kwik_scope_missing" does not exist/,
        );
        expect(await ctx.tenants.as(scopeA, () => client.query(config))).toMatchObject({ rows: [{ n: 1 }] });
        expect(await ctx.tenants.as(scopeA, () => who(client))).toEqual([SCOPE_ROLE, TENANT_A]);
        expect(await who(client)).toEqual(['postgres', '']);
      });
    },
  );

  it('parses the scope prefix once per connection, then only binds and executes it', async () => {
    await withClient(ctx.pool, async (client) => {
      for (const values of [[1], [2], [3]])
        await ctx.tenants.as(scopeA, () => client.query({ text: 'SELECT $1::int AS n', values }));
      await ctx.tenants.as(scopeB, () => client.query('SELECT 1'));
      // One prepared statement per prefix shape (role + one setting here), run by every scoped statement.
      const { rows } = await client.query<{ name: string; runs: number }>(
        `SELECT name, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE name = 'kwik_session_rs1'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.runs).toBeGreaterThanOrEqual(4);
    });
  });

  it('fails a transaction whose scope cannot apply; it rolls back and the connection stays usable', async () => {
    const tx = ctx.app.get(TransactionManager);
    await expect(ctx.tenants.as(ghostRole, () => tx.run((em) => em.query('SELECT 1')))).rejects.toThrow(
      /role "kwik_scope_missing" does not exist/,
    );
    expect(await ctx.tenants.as(scopeB, () => tx.run((em) => em.query(WHO_SQL)))).toMatchObject([
      { tenant: TENANT_B },
    ]);
  });

  it('runs a prepared statement used by name only under the scope, again and again', async () => {
    await withClient(ctx.pool, async (client) => {
      await client.query({ name: 'who_by_name', text: WHO_SQL });
      const byName = { name: 'who_by_name' } as QueryConfig;
      for (const [settings, tenant] of [
        [scopeA, TENANT_A],
        [scopeB, TENANT_B],
        [undefined, ''],
        [scopeA, TENANT_A],
      ] as const) {
        expect((await ctx.tenants.as(settings, () => client.query<Who>(byName))).rows[0]!.tenant).toBe(
          tenant,
        );
      }
    });
  });

  it.each<[string, QueryConfig]>([
    ['the extended protocol', { text: 'SELECT x FROM acme_only WHERE x > $1 ORDER BY x', values: [0] }],
    ['the simple protocol', { text: 'SELECT x FROM acme_only ORDER BY x' }],
    ['a named statement', { name: 'acme_probe', text: 'SELECT x FROM acme_only ORDER BY x' }],
  ])(
    'resolves names through a scoped search_path on %s (set before the statement is parsed)',
    async (_p, config) => {
      expect((await ctx.tenants.as(schemaScope, () => ctx.pool.query(config))).rows).toEqual([
        { x: 1 },
        { x: 2 },
      ]);
      await expect(ctx.pool.query({ text: config.text, values: config.values })).rejects.toThrow(
        /relation "acme_only" does not exist/,
      );
    },
  );

  it('switches scopes inside one transaction block, and a rollback to a savepoint does not lose the scope', async () => {
    await withClient(ctx.pool, async (client) => {
      await client.query('BEGIN');
      const seen = [await ctx.tenants.as(scopeA, () => who(client))];
      await client.query('SAVEPOINT s1');
      seen.push(await ctx.tenants.as(scopeB, () => who(client)));
      await client.query('ROLLBACK TO SAVEPOINT s1');
      seen.push(await ctx.tenants.as(scopeB, () => who(client)));
      const path = await ctx.tenants.as(schemaScope, async () => {
        const [user, tenant] = await who(client);
        return [user, tenant, (await client.query('SHOW search_path')).rows[0].search_path];
      });
      seen.push(await who(client));
      await client.query('COMMIT');
      expect(seen).toEqual([
        [SCOPE_ROLE, TENANT_A],
        [SCOPE_ROLE, TENANT_B],
        [SCOPE_ROLE, TENANT_B],
        ['postgres', ''],
      ]);
      expect(path).toEqual(['postgres', '', '"tenant_acme", public']);
    });
  });

  it.each([
    ['a submittable (pg-cursor, pg-query-stream, COPY)', (client: PoolClient) => stream(client, TITLES_SQL)],
    ['a query with `rows`', (client: PoolClient) => client.query({ text: TITLES_SQL, rows: 1 } as never)],
  ])('refuses %s under a scope outside a transaction; never runs it unscoped', async (_kind, run) => {
    await withClient(ctx.pool, async (client) => {
      await expect(ctx.tenants.as(scopeA, () => run(client))).rejects.toMatchObject({
        code: DatabaseErrorCode.ScopedStream,
      });
      expect(await run(client)).toBeDefined(); // unscoped: runs as usual
      expect(await ctx.tenants.as(scopeA, () => who(client))).toEqual([SCOPE_ROLE, TENANT_A]);
    });
  });

  it('runs streams inside TransactionManager.run() under the scope, also as the first statement', async () => {
    const tx = ctx.app.get(TransactionManager);
    const seen = await ctx.tenants.as(scopeB, () =>
      tx.run(async (em) => {
        const first = await stream(connectionOf(em), TITLES_SQL);
        const paged = (await connectionOf(em).query({ text: TITLES_SQL, rows: 1 } as never)) as {
          rows: unknown[];
        };
        const unscoped = await ctx.scope.runUnscoped(() => stream(connectionOf(em), TITLES_SQL));
        return { first, paged: paged.rows, unscoped };
      }),
    );
    expect(seen).toEqual({
      first: [{ title: 'b1' }],
      paged: [{ title: 'b1' }],
      unscoped: [{ title: 'a1' }, { title: 'a2' }, { title: 'b1' }],
    });
  });

  it("keeps pg's callback form and query_timeout under a scope", async () => {
    await withClient(ctx.pool, async (client) => {
      const viaCallback = await ctx.tenants.as(
        scopeA,
        () =>
          new Promise<Who>((resolve, reject) =>
            client.query(WHO_SQL, (error: Error | null, result: { rows: Who[] }) =>
              error ? reject(error) : resolve(result.rows[0]!),
            ),
          ),
      );
      expect(viaCallback).toMatchObject({ who: SCOPE_ROLE, tenant: TENANT_A });
      await expect(
        ctx.tenants.as(scopeA, () =>
          client.query({ text: 'SELECT pg_sleep(0.3)', query_timeout: 10 } as never),
        ),
      ).rejects.toThrow('Query read timeout');
      expect(await who(client)).toEqual(['postgres', '']);
    });
  });

  it('runs a pool.query() that waited for the connection under its own scope, not the releaser', async () => {
    const held = await ctx.pool.connect();
    const waiting = ctx.tenants.as(scopeB, () => ctx.pool.query<Who>(WHO_SQL));
    await ctx.tenants.as(scopeA, async () => held.release());
    expect((await waiting).rows[0]).toMatchObject({ who: SCOPE_ROLE, tenant: TENANT_B });
  });
});
