import { describe, expect, it } from 'vitest';
import { assertSchemasMigrated, type SchemaMigrationReport } from './schema-migration-report.js';
import { TenantSchemaErrorCode } from './tenant-schema.errors.js';

const report = (failed: SchemaMigrationReport['failed']): SchemaMigrationReport => ({
  total: 3,
  migrated: [{ schema: 'tenant_a', applied: ['A1700000000000'] }],
  upToDate: ['tenant_b'],
  failed,
  concurrency: { requested: 8, effective: 8, poolSize: 10 },
  durationMs: 5,
});

describe('assertSchemasMigrated', () => {
  it('passes a report without failures', () => {
    expect(() => assertSchemasMigrated(report([]))).not.toThrow();
  });

  it('throws KWIK_TENANT_SCHEMA_MIGRATION_FAILED naming every failed schema, migration and code', () => {
    const error = { message: 'relation "x" already exists', code: '42P07' };
    const failing = report([
      { schema: 'tenant_c', migration: 'B1700000000001', error, applied: [] },
      { schema: 'tenant_d', migration: null, error: { message: 'lock timeout' }, applied: [] },
    ]);
    expect(() => assertSchemasMigrated(failing)).toThrow(
      expect.objectContaining({
        code: TenantSchemaErrorCode.SchemaMigrationFailed,
        cause: error,
        message: expect.stringContaining(
          '2 of 3 tenant schemas failed to migrate; fix the cause and run the migrator again (it applies only what is pending): tenant_c at B1700000000001: relation "x" already exists (42P07); tenant_d: lock timeout',
        ),
      }),
    );
  });
});
