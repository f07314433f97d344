import { performance } from 'node:perf_hooks';
import type { DataSource, QueryRunner } from 'typeorm';
import { poolSize, requireReady } from './internal/data-source.js';
import { checkArray, checkConcurrency, checkLockTimeout, checkTrackingTable } from './internal/options.js';
import { resolveMigrations, type ResolvedMigration } from './internal/migration-list.js';
import { describeError } from './internal/pg-error.js';
import { runBounded } from './internal/run-bounded.js';
import { lockSchema } from './internal/schema-lock.js';
import {
  createTrackingTableSql,
  DEFAULT_TRACKING_TABLE,
  trackingTableName,
} from './internal/tracking-table.js';
import { beginTransaction, inTransaction, rollbackAfter } from './internal/transaction.js';
import type {
  SchemaMigrateOptions,
  SchemaMigrationProgress,
  TenantSchemaMigratorOptions,
} from './schema-migrator-options.interface.js';
import type {
  SchemaMigrationFailure,
  SchemaMigrationReport,
  SchemaMigrationStatus,
} from './schema-migration-report.js';
import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';
import { assertSchemaName, quoteSchemaName } from './tenant-schema-name.js';

export type { SchemaMigrationReport, SchemaMigrationStatus } from './schema-migration-report.js';

const PROBE_SQL =
  'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists, to_regclass($2) IS NOT NULL AS tracked';

type SchemaOutcome =
  | { readonly kind: 'migrated'; readonly applied: readonly string[] }
  | { readonly kind: 'up-to-date' }
  | ({ readonly kind: 'failed' } & Omit<SchemaMigrationFailure, 'schema'>);

function schemaNotFound(schema: string): TenantSchemaError {
  return new TenantSchemaError(
    TenantSchemaErrorCode.SchemaNotFound,
    `Schema "${schema}" does not exist: provision it with createSchema() (or cloneSchema()) before migrating it.`,
  );
}

/**
 * Runs the tenant migrations in tenant schemas (the "schema" strategy): each pending migration in its
 * own transaction with `SET LOCAL search_path TO "<schema>", public`, recorded in that schema's
 * tracking table in the same transaction, under a per-schema advisory lock so two instances never
 * migrate one schema at once. Schemas run in parallel (bounded by `concurrency` and the pool size); a
 * schema that fails stops at that migration while the others carry on, and a later run resumes it.
 *
 * @example
 * const migrator = new TenantSchemaMigrator(dataSource, { migrations: [CreatePosts1700000000000] });
 * await migrator.createSchema('tenant_acme');
 * const report = await migrator.migrate(['tenant_acme', 'tenant_globex'], {
 *   onProgress: (p) => p.migration === undefined && log(`${p.done}/${p.total}`),
 * });
 * for (const f of report.failed) log(`${f.schema}: ${f.migration} failed: ${f.error.message}`);
 */
export class TenantSchemaMigrator {
  private readonly migrations: readonly ResolvedMigration[];
  private readonly trackingTable: string;
  private readonly concurrency: number;
  private readonly lockTimeoutMs: number | undefined;

  constructor(
    private readonly dataSource: DataSource,
    options: TenantSchemaMigratorOptions,
  ) {
    this.migrations = resolveMigrations(options?.migrations);
    this.trackingTable = checkTrackingTable(options.trackingTable ?? DEFAULT_TRACKING_TABLE);
    this.concurrency = checkConcurrency(options.concurrency ?? 8);
    this.lockTimeoutMs = checkLockTimeout(options.lockTimeoutMs);
  }

  /** Names of the migrations, in the order they run. */
  get migrationNames(): readonly string[] {
    return this.migrations.map((m) => m.name);
  }

  /**
   * Applies the pending migrations in every schema of `schemas` and reports per schema. Never throws
   * for one schema's failure; throws a `TenantSchemaError` for a run-level problem (bad schema name or a
   * name listed twice, data source not initialised) before touching any schema.
   */
  async migrate(
    schemas: readonly string[],
    options: SchemaMigrateOptions = {},
  ): Promise<SchemaMigrationReport> {
    requireReady(this.dataSource, 'TenantSchemaMigrator.migrate()');
    const list = this.checkSchemaList(schemas);
    const started = performance.now();
    const pool = poolSize(this.dataSource);
    const effective = Math.min(this.concurrency, pool);
    const migrated: { schema: string; applied: readonly string[] }[] = [];
    const upToDate: string[] = [];
    const failed: SchemaMigrationFailure[] = [];
    let callbackError: { error: unknown } | undefined;
    const notify = (progress: SchemaMigrationProgress): void => {
      if (!options.onProgress || callbackError) return;
      try {
        options.onProgress(progress);
      } catch (error) {
        callbackError = { error };
      }
    };
    const count = (): Pick<SchemaMigrationProgress, 'done' | 'total' | 'failed'> => ({
      done: migrated.length + upToDate.length + failed.length,
      total: list.length,
      failed: failed.length,
    });

    await runBounded(
      list,
      effective,
      async (schema) => {
        const outcome = await this.migrateSchema(schema, (migration) =>
          notify({ schema, ...count(), migration }),
        );
        if (outcome.kind === 'migrated') migrated.push({ schema, applied: outcome.applied });
        else if (outcome.kind === 'up-to-date') upToDate.push(schema);
        else
          failed.push({
            schema,
            migration: outcome.migration,
            error: outcome.error,
            applied: outcome.applied,
          });
        notify({ schema, ...count() });
      },
      () => callbackError !== undefined,
    );
    if (callbackError) throw callbackError.error;
    return {
      total: list.length,
      migrated,
      upToDate,
      failed,
      concurrency: { requested: this.concurrency, effective, poolSize: pool },
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** The migrations not yet applied in `schema`, in the order they would run. Throws `KWIK_TENANT_SCHEMA_NOT_FOUND` for a missing schema. */
  async pending(schema: string): Promise<string[]> {
    const [status] = await this.status([schema]);
    if (!status!.exists) throw schemaNotFound(schema);
    return [...status!.pending];
  }

  /** Applied, pending and unknown migrations of each schema (read only; no lock, no tracking table created). */
  async status(schemas: readonly string[]): Promise<SchemaMigrationStatus[]> {
    requireReady(this.dataSource, 'TenantSchemaMigrator.status()');
    const list = this.checkSchemaList(schemas);
    const out = new Map<string, SchemaMigrationStatus>();
    await runBounded(list, Math.min(this.concurrency, poolSize(this.dataSource)), async (schema) => {
      out.set(schema, await this.statusOf(schema));
    });
    return list.map((s) => out.get(s)!);
  }

  /**
   * Provisions an empty tenant schema: `CREATE SCHEMA IF NOT EXISTS` and its tracking table, under the
   * schema's lock. Run {@link migrate} next (or use `cloneSchema()` instead of both).
   */
  async createSchema(schema: string): Promise<void> {
    requireReady(this.dataSource, 'TenantSchemaMigrator.createSchema()');
    const quoted = quoteSchemaName(schema);
    await inTransaction(
      this.dataSource,
      async (qr) => {
        await lockSchema(qr, schema);
        await qr.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
        await qr.query(createTrackingTableSql(schema, this.trackingTable));
      },
      this.lockTimeoutMs,
    );
  }

  /** Deprovisions: `DROP SCHEMA … CASCADE` under the schema's lock. Resolves false when there was no such schema. */
  async dropSchema(schema: string): Promise<boolean> {
    requireReady(this.dataSource, 'TenantSchemaMigrator.dropSchema()');
    const quoted = quoteSchemaName(schema);
    return inTransaction(
      this.dataSource,
      async (qr) => {
        await lockSchema(qr, schema);
        const rows = (await qr.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])) as unknown[];
        if (rows.length === 0) return false;
        await qr.query(`DROP SCHEMA ${quoted} CASCADE`);
        return true;
      },
      this.lockTimeoutMs,
    );
  }

  private checkSchemaList(schemas: readonly string[]): readonly string[] {
    checkArray(schemas, 'schemas');
    const seen = new Set<string>();
    for (const schema of schemas) {
      assertSchemaName(schema);
      if (seen.has(schema))
        throw new TenantSchemaError(
          TenantSchemaErrorCode.InvalidSchemaName,
          `Schema "${schema}" is listed twice: list each schema once.`,
        );
      seen.add(schema);
    }
    return [...schemas];
  }

  private async statusOf(schema: string): Promise<SchemaMigrationStatus> {
    const table = trackingTableName(schema, this.trackingTable);
    const { exists, recorded } = await inTransaction(
      this.dataSource,
      async (qr) => {
        const [probe] = (await qr.query(PROBE_SQL, [schema, table])) as {
          exists: boolean;
          tracked: boolean;
        }[];
        const rows = probe!.tracked
          ? ((await qr.query(`SELECT name FROM ${table} ORDER BY "timestamp", name`)) as { name: string }[])
          : [];
        return { exists: probe!.exists, recorded: rows.map((r) => r.name) };
      },
      this.lockTimeoutMs,
    );
    const known = new Set(this.migrationNames);
    const applied = new Set(recorded);
    return {
      schema,
      exists,
      applied: recorded.filter((n) => known.has(n)),
      pending: this.migrationNames.filter((n) => !applied.has(n)),
      unknown: recorded.filter((n) => !known.has(n)),
    };
  }

  /** One schema's run on one connection; every failure becomes the outcome, nothing throws. */
  private async migrateSchema(
    schema: string,
    onApplied: (migration: string) => void,
  ): Promise<SchemaOutcome> {
    const qr = this.dataSource.createQueryRunner('master');
    const applied: string[] = [];
    let current: string | null = null;
    try {
      await qr.connect();
      const recorded = await this.prepare(qr, schema);
      for (const migration of this.migrations) {
        if (recorded.has(migration.name)) continue;
        current = migration.name;
        if (await this.apply(qr, schema, migration)) {
          applied.push(migration.name);
          onApplied(migration.name);
        }
      }
      return applied.length > 0 ? { kind: 'migrated', applied } : { kind: 'up-to-date' };
    } catch (error) {
      return { kind: 'failed', migration: current, error: describeError(error), applied };
    } finally {
      await qr.release();
    }
  }

  /** Checks the schema exists, creates its tracking table when missing, and reads what is applied. */
  private async prepare(qr: QueryRunner, schema: string): Promise<Set<string>> {
    const table = trackingTableName(schema, this.trackingTable);
    const names = await this.inOwnTransaction(qr, async () => {
      const [probe] = (await qr.query(PROBE_SQL, [schema, table])) as { exists: boolean; tracked: boolean }[];
      if (!probe!.exists) throw schemaNotFound(schema);
      if (!probe!.tracked) {
        await lockSchema(qr, schema);
        await qr.query(createTrackingTableSql(schema, this.trackingTable));
      }
      return (await qr.query(`SELECT name FROM ${table}`)) as { name: string }[];
    });
    return new Set(names.map((r) => r.name));
  }

  /** Applies one migration in its own transaction; false when another instance applied it meanwhile. */
  private async apply(qr: QueryRunner, schema: string, migration: ResolvedMigration): Promise<boolean> {
    const table = trackingTableName(schema, this.trackingTable);
    return this.inOwnTransaction(qr, async () => {
      await qr.query(`SET LOCAL search_path TO ${quoteSchemaName(schema)}, public`);
      await lockSchema(qr, schema);
      // A statement of its own, after the lock: in READ COMMITTED it sees what the previous holder committed.
      const done = (await qr.query(`SELECT 1 FROM ${table} WHERE name = $1`, [migration.name])) as unknown[];
      if (done.length > 0) return false;
      const started = performance.now();
      await migration.instance.up(qr);
      await qr.query(`INSERT INTO ${table} (name, "timestamp", duration_ms) VALUES ($1, $2, $3)`, [
        migration.name,
        migration.timestamp,
        Math.round(performance.now() - started),
      ]);
      return true;
    });
  }

  private async inOwnTransaction<T>(qr: QueryRunner, fn: () => Promise<T>): Promise<T> {
    await beginTransaction(qr, this.lockTimeoutMs);
    try {
      const result = await fn();
      await qr.commitTransaction();
      return result;
    } catch (error) {
      throw await rollbackAfter(qr, error);
    }
  }
}
