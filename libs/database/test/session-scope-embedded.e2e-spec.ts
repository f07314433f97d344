import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Query, type PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import {
  createDataSource,
  DatabaseErrorCode,
  DatabaseSessionScope,
  type DatabaseSessionSettings,
  type KwikDataSource,
} from '@kwik/database';
import {
  poolOf,
  SCOPE_ROLE,
  SCOPED_SCHEMA_SQL,
  ScopedNote,
  ScopeSwitch,
  scopeA,
  scopeB,
  TENANT_A,
  TENANT_B,
  WHO_SQL,
  withClient,
  type Who,
} from './fixtures/session-scope.fixture.js';

/** Runs a pg submittable (as pg-cursor / pg-query-stream would) and collects its rows. */
function stream(client: PoolClient, text: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  return new Promise((resolve, reject) =>
    (client.query(new Query(text)) as unknown as Query)
      .on('row', (row) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows)),
  );
}

const connectionOf = (em: EntityManager): PoolClient =>
  (em.queryRunner as unknown as { databaseConnection: PoolClient }).databaseConnection;

const ghostRole: DatabaseSessionSettings = Object.freeze({
  role: 'kwik_scope_missing',
  settings: Object.freeze({}),
});

describe('DatabaseSessionScope on embedded PGlite (createDataSource with a sessionScope hook)', () => {
  const tenants = new ScopeSwitch();
  let ds: KwikDataSource;

  beforeAll(async () => {
    const sessionScope = new DatabaseSessionScope();
    sessionScope.use(tenants.provider);
    ds = await createDataSource(
      { embedded: { inMemory: true }, entities: [ScopedNote], logging: false },
      { sessionScope },
    );
    await ds.query(SCOPED_SCHEMA_SQL);
  });

  afterAll(() => ds?.destroy());

  const titles = async (config: { text: string; values?: unknown[]; name?: string }): Promise<string[]> =>
    (await poolOf(ds).query<{ title: string }>(config)).rows.map((r) => r.title);

  it.each([
    [
      'the extended protocol',
      { text: 'SELECT title FROM scoped_notes WHERE id > $1 ORDER BY title', values: [0] },
    ],
    ['the simple protocol', { text: 'SELECT title FROM scoped_notes ORDER BY title' }],
    ['a named statement', { name: 'embedded_titles', text: 'SELECT title FROM scoped_notes ORDER BY title' }],
  ])('scopes reads through %s, and leaks nothing to the next statement', async (_path, config) => {
    expect(await tenants.as(scopeA, () => titles(config))).toEqual(['a1', 'a2']);
    expect(await titles(config)).toEqual(['a1', 'a2', 'b1']);
    expect(await tenants.as(scopeB, () => titles(config))).toEqual(['b1']);
    expect(((await ds.query(WHO_SQL)) as Who[])[0]).toMatchObject({ who: 'postgres', tenant: '' });
  });

  it('applies the scope to a whole TypeORM transaction (streams too) and refuses streams outside one', async () => {
    const inside = await tenants.as(scopeB, () =>
      ds.transaction(async (em) => [
        await stream(connectionOf(em), 'SELECT title FROM scoped_notes'),
        (await em.query(WHO_SQL))[0],
        (await em.find(ScopedNote)).map((n) => n.title),
      ]),
    );
    expect(inside).toMatchObject([[{ title: 'b1' }], { who: SCOPE_ROLE, tenant: TENANT_B }, ['b1']]);
    await withClient(poolOf(ds), async (client: PoolClient) => {
      await expect(tenants.as(scopeA, () => stream(client, 'SELECT 1'))).rejects.toMatchObject({
        code: DatabaseErrorCode.ScopedStream,
      });
      await expect(tenants.as(ghostRole, () => client.query('SELECT 1'))).rejects.toThrow(
        /kwik_scope_missing/,
      );
      expect((await tenants.as(scopeA, () => client.query<Who>(WHO_SQL))).rows[0]).toMatchObject({
        who: SCOPE_ROLE,
        tenant: TENANT_A,
      });
    });
  });
});
