import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { TenantSchemaMigrator } from '../src/schema/schema-migrator.js';

const SCHEMAS = Array.from({ length: 20 }, (_, i) => `tenant_race_${i}`);

/** Calls of up() per "schema/migration": the lock must make every count exactly 1. */
const runs = new Map<string, number>();

async function count(qr: QueryRunner, migration: string): Promise<void> {
  const [{ schema }] = await qr.query('SELECT current_schema() AS schema');
  const key = `${schema}/${migration}`;
  runs.set(key, (runs.get(key) ?? 0) + 1);
}

/** Holds the first schema's first migration until the other instance is seen waiting for the schema's lock. */
async function waitForContender(qr: QueryRunner): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [{ waiting }] = await qr.query(
      `SELECT count(*)::int AS waiting FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the other migrator never waited for the schema lock');
}

class CreateItems1700000000001 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await count(qr, 'CreateItems');
    const [{ schema }] = await qr.query('SELECT current_schema() AS schema');
    if (schema === SCHEMAS[0]) await waitForContender(qr);
    await qr.query('CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)');
  }
  async down(): Promise<void> {}
}

class AddItemPrice1700000000002 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await count(qr, 'AddItemPrice');
    await qr.query('ALTER TABLE items ADD COLUMN price numeric(10, 2) NOT NULL DEFAULT 0');
  }
  async down(): Promise<void> {}
}

class IndexItemNames1700000000003 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await count(qr, 'IndexItemNames');
    await qr.query('CREATE UNIQUE INDEX items_name ON items (name)');
  }
  async down(): Promise<void> {}
}

const MIGRATIONS = [CreateItems1700000000001, AddItemPrice1700000000002, IndexItemNames1700000000003];

describe('two migrators racing on the same schemas', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('tenant_schema_race');
    for (let i = 0; i < 2; i++)
      sources.push(
        await new DataSource({ type: 'postgres', url: db.url, poolSize: 4, logging: false }).initialize(),
      );
  });

  afterAll(async () => {
    for (const ds of sources) await ds.destroy();
    await db?.drop();
  });

  it('apply each migration exactly once per schema', async () => {
    const [a, b] = sources.map(
      (ds) => new TenantSchemaMigrator(ds, { migrations: MIGRATIONS, concurrency: 4 }),
    );
    // Both also provision, racing on CREATE SCHEMA / CREATE TABLE IF NOT EXISTS.
    await Promise.all(SCHEMAS.flatMap((s) => [a!.createSchema(s), b!.createSchema(s)]));

    const reports = await Promise.all([a!.migrate(SCHEMAS), b!.migrate(SCHEMAS)]);

    for (const report of reports) {
      expect(report.failed).toEqual([]);
      expect(report.migrated.length + report.upToDate.length).toBe(SCHEMAS.length);
    }
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(SCHEMAS.length * MIGRATIONS.length);
    for (const schema of SCHEMAS) {
      const applied = reports.flatMap((r) => r.migrated.find((m) => m.schema === schema)?.applied ?? []);
      expect([...applied].sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    }
    const rows = await sources[0]!.query(
      SCHEMAS.map((s) => `SELECT '${s}' AS schema, count(*)::int AS n FROM ${s}.kwik_tenant_migrations`).join(
        ' UNION ALL ',
      ),
    );
    expect(rows.every((r: { n: number }) => r.n === MIGRATIONS.length)).toBe(true);
  });
});
