import { describe, expect, it } from 'vitest';
import type { DataSource, MigrationInterface } from 'typeorm';
import { TenantError } from '../tenant.errors.js';
import { TenantSchemaMigrator } from './schema-migrator.js';
import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';

const noop = async (): Promise<void> => {};
class First1700000000001 implements MigrationInterface {
  up = noop;
  down = noop;
}
class Second1700000000002 implements MigrationInterface {
  up = noop;
  down = noop;
}
class Alpha1700000000002 implements MigrationInterface {
  up = noop;
  down = noop;
}
class NoTimestamp implements MigrationInterface {
  up = noop;
  down = noop;
}
class Outside1700000000003 implements MigrationInterface {
  transaction = false;
  up = noop;
  down = noop;
}

/** Never reached: every case here fails before touching the database. */
const READY = { isInitialized: true, options: { type: 'postgres' } } as unknown as DataSource;
const migrator = (options: object, ds: DataSource = READY): TenantSchemaMigrator =>
  new TenantSchemaMigrator(ds, { migrations: [First1700000000001], ...options });

describe('TenantSchemaMigrator', () => {
  it('orders migrations by timestamp, then name, taking `name` over the class name', () => {
    const named: MigrationInterface = { name: 'Renamed1700000000000', up: noop, down: noop };
    const m = new TenantSchemaMigrator(READY, {
      migrations: [Second1700000000002, new First1700000000001(), Alpha1700000000002, named],
    });
    expect(m.migrationNames).toEqual([
      'Renamed1700000000000',
      'First1700000000001',
      'Alpha1700000000002',
      'Second1700000000002',
    ]);
  });

  it.each([
    ['a name without timestamp', [NoTimestamp], /no timestamp/],
    ['a name twice', [First1700000000001, new First1700000000001()], /listed twice/],
    ['a missing import', [undefined], /undefined \(a missing import\?\)/],
    ['something else', [{ up: 'nope' }], /not a migration/],
    ['transaction = false', [Outside1700000000003], /own transaction/],
    ['no array', 'First1700000000001', /must be an array/],
  ])('refuses %s with KWIK_TENANT_INVALID_MIGRATIONS', (_case, migrations, message) => {
    const create = (): unknown => new TenantSchemaMigrator(READY, { migrations: migrations as never });
    expect(create).toThrow(message);
    expect(create).toThrow(expect.objectContaining({ code: TenantSchemaErrorCode.InvalidMigrations }));
  });

  it.each([
    ['concurrency 0', { concurrency: 0 }],
    ['concurrency 1.5', { concurrency: 1.5 }],
    ['a negative lockTimeoutMs', { lockTimeoutMs: -1 }],
    ['a qualified trackingTable', { trackingTable: 'public.migrations' }],
    ['an empty trackingTable', { trackingTable: '' }],
  ])('refuses %s with KWIK_TENANT_INVALID_SCHEMA_OPTIONS', (_case, options) => {
    expect(() => migrator(options)).toThrow(
      expect.objectContaining({ code: TenantSchemaErrorCode.InvalidSchemaOptions }),
    );
  });

  it.each([
    ['not initialised', { isInitialized: false, options: { type: 'postgres' } }, /initialize\(\)/],
    ['not PostgreSQL', { isInitialized: true, options: { type: 'mysql' } }, /PostgreSQL data source/],
  ])('throws KWIK_TENANT_DATA_SOURCE_NOT_READY for a data source %s', async (_case, ds, message) => {
    const m = migrator({}, ds as unknown as DataSource);
    await expect(m.migrate(['tenant_a'])).rejects.toThrow(message);
    await expect(m.migrate(['tenant_a'])).rejects.toMatchObject({
      code: TenantSchemaErrorCode.DataSourceNotReady,
    });
    await expect(m.createSchema('tenant_a')).rejects.toBeInstanceOf(TenantSchemaError);
  });

  it.each([
    ['a schema listed twice', ['tenant_a', 'tenant_a'], /listed twice/],
    ['public', ['tenant_a', 'public'], /shared or system schema/],
    ['an empty name', [''], /not a schema name/],
  ])('refuses to migrate %s before touching any schema', async (_case, schemas, message) => {
    await expect(migrator({}).migrate(schemas)).rejects.toThrow(message);
  });

  it('throws errors that are TenantErrors and KwikErrors with the code in the message', () => {
    const error = (() => {
      try {
        migrator({ concurrency: 0 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TenantError);
    expect(error).toMatchObject({ name: 'TenantSchemaError' });
    expect((error as Error).message).toMatch(/^\[KWIK_TENANT_INVALID_SCHEMA_OPTIONS\] concurrency/);
  });
});
