import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatabaseErrorCode,
  SqlObserver,
  TransactionManager,
  type DatabaseSessionSettings,
} from '@kwik/database';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import {
  bootScopedApp,
  SCOPE_ROLE,
  SCOPED_SCHEMA_SQL,
  ScopedNote,
  scopeA,
  scopeB,
  TENANT_A,
  TENANT_B,
  WHO_SQL,
  type ScopedApp,
  type Who,
} from './fixtures/session-scope.fixture.js';

const titles = (rows: { title: string }[]): string[] => rows.map((r) => r.title);

describe('DatabaseSessionScope on the PostgreSQL server (a pool of one connection)', () => {
  let db: TestDatabase;
  let ctx: ScopedApp;
  const who = async (): Promise<Who> => ((await ctx.ds.query(WHO_SQL)) as Who[])[0]!;

  beforeAll(async () => {
    db = await createTestDatabase('session_scope');
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(SCOPED_SCHEMA_SQL);
    await admin.end();
    ctx = await bootScopedApp({ url: db.url, pool: { max: 1 } });
  });

  afterAll(async () => {
    await ctx?.app.close();
    await db.drop();
  });

  const reads: [string, () => Promise<string[]>][] = [
    [
      'the extended protocol (values)',
      async () =>
        titles(await ctx.ds.query('SELECT title FROM scoped_notes WHERE id > $1 ORDER BY title', [0])),
    ],
    [
      'the simple protocol (no values)',
      async () => titles(await ctx.ds.query('SELECT title FROM scoped_notes ORDER BY title')),
    ],
    [
      'a named prepared statement',
      async () =>
        titles(
          (
            await ctx.pool.query({
              name: 'scoped_titles',
              text: 'SELECT title FROM scoped_notes ORDER BY title',
            })
          ).rows,
        ),
    ],
    [
      'a TypeORM repository',
      async () => titles(await ctx.ds.getRepository(ScopedNote).find({ order: { title: 'ASC' } })),
    ],
  ];

  it.each(reads)(
    'scopes reads through %s to the tenant; unscoped ones see every row',
    async (_path, read) => {
      expect(await ctx.tenants.as(scopeA, read)).toEqual(['a1', 'a2']);
      expect(await ctx.tenants.as(scopeB, read)).toEqual(['b1']);
      expect(await read()).toEqual(['a1', 'a2', 'b1']);
      expect(await ctx.tenants.as(scopeA, () => ctx.scope.runUnscoped(read))).toEqual(['a1', 'a2', 'b1']);
      // And once more scoped: the named statement's cached plan is not stuck on a previous scope.
      expect(await ctx.tenants.as(scopeB, read)).toEqual(['b1']);
    },
  );

  it('leaks nothing from one borrower of the single connection to the next', async () => {
    const seen: Who[] = [];
    const steps: [DatabaseSessionSettings | undefined, () => Promise<Who>][] = [
      [scopeA, who],
      [undefined, who],
      [scopeB, async () => (await ctx.ds.query(`${WHO_SQL} WHERE $1::int = 1`, [1]))[0]],
      [undefined, async () => (await ctx.ds.query(`${WHO_SQL} WHERE $1::int = 1`, [1]))[0]],
      [scopeA, async () => (await ctx.pool.query({ name: 'who_named', text: WHO_SQL })).rows[0]],
      [undefined, async () => (await ctx.pool.query({ name: 'who_named', text: WHO_SQL })).rows[0]],
      [scopeB, who],
      [undefined, who],
    ];
    for (const [settings, step] of steps) seen.push(await ctx.tenants.as(settings, step));
    expect(new Set(seen.map((s) => s.pid)).size).toBe(1);
    expect(seen.map(({ who: user, tenant }) => [user, tenant])).toEqual([
      [SCOPE_ROLE, TENANT_A],
      ['postgres', ''],
      [SCOPE_ROLE, TENANT_B],
      ['postgres', ''],
      [SCOPE_ROLE, TENANT_A],
      ['postgres', ''],
      [SCOPE_ROLE, TENANT_B],
      ['postgres', ''],
    ]);
  });

  it.each([
    ['the data source default', undefined],
    ['READ COMMITTED', 'READ COMMITTED' as const],
    ['SERIALIZABLE', 'SERIALIZABLE' as const],
  ])(
    'applies the scope to every statement of a transaction (isolation: %s), then leaks nothing',
    async (_l, isolation) => {
      const tx = ctx.app.get(TransactionManager);
      const inside = await ctx.tenants.as(scopeA, () =>
        tx.run(
          async (em) => {
            const first = (await em.query(WHO_SQL))[0] as Who;
            const notes = await em.find(ScopedNote, { order: { title: 'ASC' } });
            const level = (await em.query('SHOW transaction_isolation'))[0].transaction_isolation as string;
            const last = (await em.query(`${WHO_SQL} WHERE $1::int = 1`, [1]))[0] as Who;
            return { first, last, titles: titles(notes), level };
          },
          isolation ? { isolation } : {},
        ),
      );
      expect(inside).toMatchObject({
        first: { who: SCOPE_ROLE, tenant: TENANT_A },
        last: { who: SCOPE_ROLE, tenant: TENANT_A },
        titles: ['a1', 'a2'],
        level: (isolation ?? 'READ COMMITTED').toLowerCase(),
      });
      expect(await who()).toMatchObject({ who: 'postgres', tenant: '', pid: inside.first.pid });
    },
  );

  it('rolls back a scoped transaction (also after a failed statement) and leaks nothing', async () => {
    const tx = ctx.app.get(TransactionManager);
    await ctx.tenants.as(scopeA, async () => {
      await expect(
        tx.run(async (em) => {
          await em.save(em.create(ScopedNote, { tenantId: TENANT_A, title: 'rolled back' }));
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      await expect(
        tx.run(async (em) => {
          await em.save(em.create(ScopedNote, { tenantId: TENANT_A, title: 'rolled back' }));
          await em.query('SELECT 1 / 0');
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await ctx.ds.getRepository(ScopedNote).countBy({ title: 'rolled back' })).toBe(0);
      expect(await who()).toMatchObject({ who: SCOPE_ROLE, tenant: TENANT_A });
    });
    expect(await who()).toMatchObject({ who: 'postgres', tenant: '' });
  });

  it('runs code inside a scoped transaction unscoped with runUnscoped(), then scoped again', async () => {
    const tx = ctx.app.get(TransactionManager);
    const seen = await ctx.tenants.as(scopeA, () =>
      tx.run(async (em) => {
        const before = (await em.query(WHO_SQL))[0] as Who;
        const unscoped = await ctx.scope.runUnscoped(async () => (await em.query(WHO_SQL))[0] as Who);
        const after = (await em.query(WHO_SQL))[0] as Who;
        return [before, unscoped, after].map((w) => [w.who, w.tenant]);
      }),
    );
    expect(seen).toEqual([
      [SCOPE_ROLE, TENANT_A],
      ['postgres', ''],
      [SCOPE_ROLE, TENANT_A],
    ]);
  });

  it.each([
    [
      'a TypeORM insert (extended protocol)',
      () => ctx.ds.getRepository(ScopedNote).save({ tenantId: TENANT_B, title: 'smuggled' }),
    ],
    [
      'a literal insert (simple protocol)',
      () => ctx.ds.query(`INSERT INTO scoped_notes (tenant_id, title) VALUES ('${TENANT_B}', 'smuggled')`),
    ],
  ])("refuses %s of another tenant's row (the policy's check)", async (_path, insert) => {
    await expect(ctx.tenants.as(scopeA, insert)).rejects.toThrow(/row-level security policy/);
    expect(await ctx.ds.getRepository(ScopedNote).countBy({ title: 'smuggled' })).toBe(0);
  });

  const shape = (result: unknown): unknown => {
    if (Array.isArray(result)) return result.map(shape);
    const { command, rowCount, rows, fields } = result as {
      command: string;
      rowCount: number | null;
      rows: unknown[];
      fields: { name: string; dataTypeID: number }[];
    };
    return { command, rowCount, rows, fields: fields.map((f) => [f.name, f.dataTypeID]) };
  };

  it.each([
    [
      'a select with values',
      { text: "SELECT $1::int AS n, 'x'::text AS s, now() > 'epoch' AS later", values: [7] },
    ],
    ['a simple multi-statement query', { text: 'SELECT 1 AS one; SELECT 2 AS two, 3 AS three' }],
    ['an update', { text: 'UPDATE scoped_counters SET n = n + 1 WHERE id <= $1', values: [2] }],
    ['an update without values', { text: 'UPDATE scoped_counters SET n = n + 1' }],
    [
      'rows as arrays',
      { text: 'SELECT id, n >= 0 AS ok FROM scoped_counters ORDER BY id', rowMode: 'array' },
    ],
    ['an empty result', { text: 'SELECT id FROM scoped_counters WHERE id < 0' }],
  ])('returns exactly the unscoped result for %s', async (_name, config) => {
    const unscoped = await ctx.pool.query(config);
    const scoped = await ctx.tenants.as(scopeA, () => ctx.pool.query(config));
    expect(shape(scoped)).toEqual(shape(unscoped));
  });

  it('reports the application SQL, not the prefix, to the observer', async () => {
    const events: string[] = [];
    const off = ctx.app
      .get(SqlObserver)
      .subscribe((e) => events.push(`${e.sql} (${e.paramCount}, ${e.rowCount})`));
    try {
      await ctx.tenants.as(scopeA, async () => {
        await ctx.ds.query('SELECT title FROM scoped_notes');
        await ctx.ds.query('SELECT title FROM scoped_notes WHERE id > $1', [0]);
      });
    } finally {
      off();
    }
    expect(events).toEqual([
      'SELECT title FROM scoped_notes (0, 2)',
      'SELECT title FROM scoped_notes WHERE id > $1 (1, 2)',
    ]);
  });

  it('refuses a scoped query string that mixes transaction control with statements', async () => {
    await expect(
      ctx.tenants.as(scopeA, () => ctx.ds.query('BEGIN; SELECT 1; COMMIT; SELECT 2')),
    ).rejects.toMatchObject({
      driverError: { code: DatabaseErrorCode.ScopedTransactionControl },
    });
    // Unscoped, pg runs it as usual: one result per statement.
    expect(await ctx.pool.query('BEGIN; SELECT 1 AS one; COMMIT')).toHaveLength(3);
  });

  it('refuses settings a provider answers that are not frozen', async () => {
    const loose = { role: SCOPE_ROLE, settings: { 'kwik.tenant_id': TENANT_A } };
    await expect(ctx.tenants.as(loose, () => ctx.ds.query('SELECT 1'))).rejects.toMatchObject({
      driverError: { code: DatabaseErrorCode.InvalidSessionSettings },
    });
    expect(await who()).toMatchObject({ who: 'postgres', tenant: '' });
  });
});
