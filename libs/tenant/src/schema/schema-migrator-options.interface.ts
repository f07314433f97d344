import type { MigrationInterface } from 'typeorm';

/**
 * A tenant migration: an ordinary TypeORM migration class (or instance) written with unqualified table
 * names. Its name is `migration.name`, else the class name, and must end in a 13-digit timestamp
 * (`CreatePosts1700000000000`), as TypeORM requires; migrations run in timestamp, then name, order.
 */
export type TenantMigration = MigrationInterface | (new () => MigrationInterface);

/** Options of {@link TenantSchemaMigrator}. */
export interface TenantSchemaMigratorOptions {
  /**
   * The migrations of the tenant-owned tables, run in every tenant schema with
   * `search_path` set to the tenant schema, then `public`. Each runs in its own transaction, through the
   * `QueryRunner` it is given (a query through the `DataSource` would run elsewhere, outside it), and
   * must not use `transaction = false` or session-level `SET`.
   */
  migrations: readonly TenantMigration[];
  /** Table, in each tenant schema, recording the migrations applied there. @default 'kwik_tenant_migrations' */
  trackingTable?: string;
  /**
   * Schemas migrated at once, each on its own pooled connection; capped to the data source's pool size
   * (the report says when it was).
   * @default 8
   */
  concurrency?: number;
  /**
   * `lock_timeout` of every transaction the migrator opens, in milliseconds: how long it waits for the
   * schema's advisory lock (another instance migrating it) or for a table lock before that schema fails
   * with PostgreSQL code `55P03`. `0` waits forever.
   * @default undefined: the server's `lock_timeout` (PostgreSQL's default: wait forever)
   */
  lockTimeoutMs?: number;
}

/** What {@link SchemaMigrateOptions.onProgress} receives. */
export interface SchemaMigrationProgress {
  /** The schema this event is about. */
  readonly schema: string;
  /** Schemas finished so far (migrated, up to date or failed), `schema` included once it has finished. */
  readonly done: number;
  /** Schemas in the run. */
  readonly total: number;
  /** Schemas that failed so far. */
  readonly failed: number;
  /** Set when the event reports this migration applied in `schema`; absent when `schema` has finished. */
  readonly migration?: string;
}

/** Options of one {@link TenantSchemaMigrator.migrate} run. */
export interface SchemaMigrateOptions {
  /**
   * Called after each migration applied in a schema (`migration` set) and once when a schema has
   * finished (`migration` absent). Keep it cheap; if it throws, no further schema is started and
   * `migrate()` rejects with that error once the schemas in flight have finished.
   * @default none
   */
  onProgress?(progress: SchemaMigrationProgress): void;
}
