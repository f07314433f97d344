import { randomBytes } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { grantSchemaTo } from '../src/schema/schema-grants.js';
import { TenantSchemaMigrator } from '../src/schema/schema-migrator.js';
import { TenantSchemaErrorCode } from '../src/schema/tenant-schema.errors.js';

class CreateNotes1700000000001 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
  }
  async down(): Promise<void> {}
}

class CreateTags1700000000002 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(
      'CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)',
    );
  }
  async down(): Promise<void> {}
}

describe('grantSchemaTo', () => {
  // Roles are cluster-wide: a name of this run's own, with a quote to prove the quoting.
  const role = `kwik "app ${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let ds: DataSource;

  /** Runs `sql` as the app role in a transaction that is rolled back. */
  async function asApp(sql: string): Promise<unknown> {
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await qr.query(`SET LOCAL ROLE ${escapeIdentifier(role)}`);
      return await qr.query(sql);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('tenant_schema_grants');
    ds = await new DataSource({ type: 'postgres', url: db.url, logging: false }).initialize();
    await ds.query(`CREATE ROLE ${escapeIdentifier(role)} NOLOGIN`);
    const migrator = new TenantSchemaMigrator(ds, { migrations: [CreateNotes1700000000001] });
    for (const schema of ['tenant_granted', 'tenant_other']) await migrator.createSchema(schema);
    await migrator.migrate(['tenant_granted', 'tenant_other']);
    await grantSchemaTo(ds, 'tenant_granted', role, { owner: 'postgres' });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop(); // takes the role's privileges and default privileges with it
    const admin = await new DataSource({
      type: 'postgres',
      url: 'postgres://postgres@127.0.0.1:5432/postgres',
      logging: false,
    }).initialize();
    await admin.query(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`);
    await admin.destroy();
  });

  it('lets the role read and write the tables, serial sequences included', async () => {
    expect(await asApp(`INSERT INTO tenant_granted.notes (body) VALUES ('hi') RETURNING id, body`)).toEqual([
      { id: 1, body: 'hi' },
    ]);
    await expect(asApp(`UPDATE tenant_granted.notes SET body = 'x'`)).resolves.toBeDefined();
    await expect(asApp(`DELETE FROM tenant_granted.notes`)).resolves.toBeDefined();
  });

  it('covers tables the migrations create later', async () => {
    const migrator = new TenantSchemaMigrator(ds, {
      migrations: [CreateNotes1700000000001, CreateTags1700000000002],
    });
    await migrator.migrate(['tenant_granted']);
    expect(await asApp(`INSERT INTO tenant_granted.tags (name) VALUES ('a') RETURNING id`)).toEqual([
      { id: '1' },
    ]);
  });

  it.each([
    ['create tables in the schema', 'CREATE TABLE tenant_granted.mine (id int)'],
    ['drop its tables', 'DROP TABLE tenant_granted.notes'],
    ['truncate them', 'TRUNCATE tenant_granted.notes'],
    ['use a schema it was not granted', 'SELECT * FROM tenant_other.notes'],
  ])('does not let the role %s', async (_case, sql) => {
    await expect(asApp(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('is idempotent', async () => {
    await grantSchemaTo(ds, 'tenant_granted', role);
    expect(await asApp('SELECT count(*)::int AS n FROM tenant_granted.notes')).toEqual([{ n: 0 }]);
  });

  it.each([
    ['an empty role', 'tenant_granted', '', TenantSchemaErrorCode.InvalidSchemaOptions],
    ['public as schema', 'public', 'someone', TenantSchemaErrorCode.InvalidSchemaName],
  ])('refuses %s', async (_case, schema, name, code) => {
    await expect(grantSchemaTo(ds, schema, name)).rejects.toMatchObject({ code });
  });
});
