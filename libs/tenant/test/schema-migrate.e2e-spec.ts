import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import type { SchemaMigrationProgress } from '../src/schema/schema-migrator-options.interface.js';
import { TenantSchemaMigrator } from '../src/schema/schema-migrator.js';
import { TenantSchemaErrorCode } from '../src/schema/tenant-schema.errors.js';

/** What the test migrations observe: how many run at once, on which connections, and whether M2 is broken. */
interface Probe {
  broken: boolean;
  active: number;
  maxActive: number;
  /** Backend pids of the first wave's runs. */
  pids: Set<number>;
  /** Resolves once `size` first runs of M1 are inside it at the same time (or says it never happened). */
  firstWave(pid: number): Promise<void>;
}

function probe(size: number): Probe {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<'open'>((resolve) => (open = () => resolve('open')));
  const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
  return {
    broken: true,
    active: 0,
    maxActive: 0,
    pids: new Set(),
    async firstWave(pid) {
      arrived += 1;
      if (arrived <= size) this.pids.add(pid);
      if (arrived === size) open();
      if (arrived <= size && (await Promise.race([opened, timedOut])) === 'timeout')
        throw new Error(`never had ${size} schemas migrating at once`);
    },
  };
}

/** Three small migrations; M1 counts concurrent runs, M2 fails in tenant_t042 while `broken`. */
function migrations(p: Probe): (new () => MigrationInterface)[] {
  class CreateNotes1700000000001 implements MigrationInterface {
    async up(qr: QueryRunner): Promise<void> {
      p.active += 1;
      p.maxActive = Math.max(p.maxActive, p.active);
      try {
        const [{ pid }] = await qr.query('SELECT pg_backend_pid() AS pid');
        await p.firstWave(pid);
        await qr.query(
          'CREATE TABLE notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text NOT NULL)',
        );
      } finally {
        p.active -= 1;
      }
    }
    async down(): Promise<void> {}
  }
  class AddNoteTags1700000000002 implements MigrationInterface {
    async up(qr: QueryRunner): Promise<void> {
      await qr.query(`ALTER TABLE notes ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
      // Not CASE … THEN 1 / 0: PostgreSQL folds the constant 1 / 0 while planning, in every schema.
      if (p.broken) await qr.query(`SELECT 1 / (current_schema() <> 'tenant_t042')::int`);
    }
    async down(): Promise<void> {}
  }
  class IndexNoteTitles1700000000003 implements MigrationInterface {
    async up(qr: QueryRunner): Promise<void> {
      await qr.query('CREATE INDEX notes_title ON notes (title)');
    }
    async down(): Promise<void> {}
  }
  return [IndexNoteTitles1700000000003, CreateNotes1700000000001, AddNoteTags1700000000002]; // sorted by the migrator
}

const [M1, M2, M3] = ['CreateNotes1700000000001', 'AddNoteTags1700000000002', 'IndexNoteTitles1700000000003'];
const schemas = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

describe('TenantSchemaMigrator on PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('tenant_schema_migrate');
    ds = await new DataSource({ type: 'postgres', url: db.url, poolSize: 10, logging: false }).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('provisions and migrates 100 schemas 8 at a time; one failure stops only its schema; a re-run resumes it', async () => {
    const p = probe(8);
    const migrator = new TenantSchemaMigrator(ds, { migrations: migrations(p), concurrency: 8 });
    const all = schemas('tenant_t', 100);
    for (const schema of all) await migrator.createSchema(schema);
    const events: SchemaMigrationProgress[] = [];

    const report = await migrator.migrate(all, { onProgress: (e) => events.push(e) });

    expect(report.total).toBe(100);
    expect(report.concurrency).toEqual({ requested: 8, effective: 8, poolSize: 10 });
    expect(report.failed).toEqual([
      {
        schema: 'tenant_t042',
        migration: M2,
        error: { message: 'division by zero', code: '22012' },
        applied: [M1],
      },
    ]);
    expect(report.migrated).toHaveLength(99);
    expect(report.migrated.every((m) => m.applied.join() === [M1, M2, M3].join())).toBe(true);
    expect(report.upToDate).toEqual([]);
    expect(p.maxActive).toBe(8);
    expect(p.pids.size).toBe(8); // each on its own connection

    const finished = events.filter((e) => e.migration === undefined);
    expect(finished.map((e) => e.done)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(finished.map((e) => e.schema))).toEqual(new Set(all));
    expect(finished.at(-1)).toMatchObject({ done: 100, total: 100, failed: 1 });
    expect(events.filter((e) => e.migration !== undefined)).toHaveLength(99 * 3 + 1);

    // The failing schema kept M1 and lost all of M2 (its ALTER TABLE too); M3 never ran there.
    const columns = async (schema: string): Promise<string[]> =>
      (
        await ds.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'notes' ORDER BY 1`,
          [schema],
        )
      ).map((r: { column_name: string }) => r.column_name);
    expect(await columns('tenant_t042')).toEqual(['id', 'title']);
    expect(await columns('tenant_t041')).toEqual(['id', 'tags', 'title']);
    expect(await migrator.status(['tenant_t042', 'tenant_t041'])).toEqual([
      { schema: 'tenant_t042', exists: true, applied: [M1], pending: [M2, M3], unknown: [] },
      { schema: 'tenant_t041', exists: true, applied: [M1, M2, M3], pending: [], unknown: [] },
    ]);

    p.broken = false;
    const again = await migrator.migrate(all);
    expect(again.failed).toEqual([]);
    expect(again.migrated).toEqual([{ schema: 'tenant_t042', applied: [M2, M3] }]);
    expect([...again.upToDate].sort()).toEqual(all.filter((s) => s !== 'tenant_t042'));
    expect(await columns('tenant_t042')).toEqual(['id', 'tags', 'title']);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM tenant_t042.kwik_tenant_migrations WHERE duration_ms >= 0 AND ran_at <= now()`,
    );
    expect(n).toBe(3);
  });

  it('caps concurrency to the pool size and says so', async () => {
    const small = await new DataSource({
      type: 'postgres',
      url: db.url,
      poolSize: 3,
      logging: false,
    }).initialize();
    try {
      const p = probe(3);
      p.broken = false;
      const migrator = new TenantSchemaMigrator(small, { migrations: migrations(p), concurrency: 8 });
      const list = schemas('tenant_pool', 9);
      for (const schema of list) await migrator.createSchema(schema);
      const report = await migrator.migrate(list);
      expect(report.concurrency).toEqual({ requested: 8, effective: 3, poolSize: 3 });
      expect(report.migrated).toHaveLength(9);
      expect(p.maxActive).toBe(3);
    } finally {
      await small.destroy();
    }
  });

  it('reports a missing schema, creates a missing tracking table, and migrates the rest', async () => {
    const p = probe(1);
    p.broken = false;
    const migrator = new TenantSchemaMigrator(ds, { migrations: migrations(p), concurrency: 2 });
    await ds.query('CREATE SCHEMA tenant_untracked');
    const report = await migrator.migrate(['tenant_nowhere', 'tenant_untracked']);
    expect(report.failed).toEqual([
      {
        schema: 'tenant_nowhere',
        migration: null,
        error: {
          message: expect.stringContaining('does not exist'),
          code: TenantSchemaErrorCode.SchemaNotFound,
        },
        applied: [],
      },
    ]);
    expect(report.migrated).toEqual([{ schema: 'tenant_untracked', applied: [M1, M2, M3] }]);
    await expect(migrator.pending('tenant_nowhere')).rejects.toMatchObject({
      code: TenantSchemaErrorCode.SchemaNotFound,
    });
    expect(await migrator.pending('tenant_untracked')).toEqual([]);
  });

  it('gives up on a schema whose lock it waits for longer than lockTimeoutMs', async () => {
    const p = probe(1);
    p.broken = false;
    const migrator = new TenantSchemaMigrator(ds, { migrations: migrations(p), lockTimeoutMs: 50 });
    await migrator.createSchema('tenant_locked');
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('LOCK TABLE tenant_locked.kwik_tenant_migrations IN ACCESS EXCLUSIVE MODE');
      const report = await migrator.migrate(['tenant_locked']);
      expect(report.failed).toEqual([
        expect.objectContaining({
          schema: 'tenant_locked',
          error: expect.objectContaining({ code: '55P03' }),
        }),
      ]);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect((await migrator.migrate(['tenant_locked'])).migrated).toHaveLength(1);
  });

  it('stops starting schemas when onProgress throws, and rejects with its error', async () => {
    const p = probe(1);
    p.broken = false;
    const migrator = new TenantSchemaMigrator(ds, { migrations: migrations(p), concurrency: 1 });
    const list = schemas('tenant_cb', 3);
    for (const schema of list) await migrator.createSchema(schema);
    const boom = new Error('progress sink is down');
    await expect(
      migrator.migrate(list, {
        onProgress: (e) => {
          if (e.migration === undefined) throw boom;
        },
      }),
    ).rejects.toBe(boom);
    const status = await migrator.status(list);
    expect(status.map((s) => s.pending.length)).toEqual([0, 3, 3]);
  });

  it('creates idempotently and drops schemas', async () => {
    const migrator = new TenantSchemaMigrator(ds, { migrations: [] });
    await migrator.createSchema('tenant_gone');
    await migrator.createSchema('tenant_gone');
    expect(await migrator.dropSchema('tenant_gone')).toBe(true);
    expect(await migrator.dropSchema('tenant_gone')).toBe(false);
    expect(await migrator.status(['tenant_gone'])).toEqual([
      { schema: 'tenant_gone', exists: false, applied: [], pending: [], unknown: [] },
    ]);
  });
});
