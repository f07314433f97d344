import type { DataSourceOptions } from 'typeorm';

/** The TypeORM options of a PostgreSQL data source (the only dialect Kwik speaks). */
export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** What TypeORM should log, through the Nest logger (context `Database`). */
export type DatabaseLogging =
  boolean | 'all' | ReadonlyArray<'query' | 'schema' | 'error' | 'warn' | 'info' | 'log' | 'migration'>;

/** Connection-pool settings. Only `url` (server) mode uses a real pool; embedded PGlite has one connection. */
export interface DatabasePoolOptions {
  /** Most connections open at once (server mode; embedded is always 1). @default 10 */
  max?: number;
  /** Close a connection idle for this long (server mode; embedded keeps its one connection). @default 10000 */
  idleTimeoutMillis?: number;
  /**
   * How long a query waits for a free connection before it fails. On embedded PGlite this is how
   * long a request waits behind another one's transaction. @default 5000
   */
  connectionTimeoutMillis?: number;
  /** Server-side `statement_timeout` of every connection, in ms (server mode only). @default undefined (none) */
  statementTimeoutMs?: number;
}

/** Settings of the embedded PostgreSQL (PGlite) used when `url` is not set. */
export interface EmbeddedDatabaseOptions {
  /** Directory holding the database files, resolved from `process.cwd()`. @default '.kwik/pglite' */
  dataDir?: string;
  /** Keep the database in memory only (tests, throw-away runs); `dataDir` is then ignored. @default false */
  inMemory?: boolean;
}

/**
 * Options of `DatabaseModule.forRoot()` / `forRootAsync()`, also what the migrations CLI reads from a
 * data-source module. Defaults are applied and validated once, by `resolveDatabaseOptions()`.
 *
 * @example
 * DatabaseModule.forRoot({ url: process.env.DATABASE_URL, migrations: [Init1700000000000], migrationsRun: true })
 */
export interface DatabaseModuleOptions {
  /**
   * `postgres://` / `postgresql://` URL of a PostgreSQL server. Unset: the embedded PGlite database
   * configured by `embedded`. @default undefined (embedded)
   */
  url?: string;
  /** Pool settings (server mode). @default see {@link DatabasePoolOptions} */
  pool?: DatabasePoolOptions;
  /** Embedded PGlite settings; ignored when `url` is set. @default { dataDir: '.kwik/pglite', inMemory: false } */
  embedded?: EmbeddedDatabaseOptions;
  /** Entity classes (or globs of compiled files). @default [] */
  entities?: PostgresDataSourceOptions['entities'];
  /** Also register every entity passed to `TypeOrmModule.forFeature()`. @default true */
  autoLoadEntities?: boolean;
  /** Migration classes or globs of compiled migration files (`dist/migrations/*.js`). @default [] */
  migrations?: PostgresDataSourceOptions['migrations'];
  /** Run pending migrations when the data source initialises (at boot). @default false */
  migrationsRun?: boolean;
  /** Table that records executed migrations. @default 'kwik_migrations' */
  migrationsTableName?: string;
  /** Create/alter tables from the entities at boot. Never in production: use migrations. @default false */
  synchronize?: boolean;
  /** What TypeORM logs through the Nest logger. @default ['warn', 'migration'] */
  logging?: DatabaseLogging;
  /** `application_name` shown in `pg_stat_activity` (server mode). @default 'kwik' */
  applicationName?: string;
  /**
   * Connection attempts at boot before giving up (server mode; only connection errors are retried,
   * embedded never retries). @default 5
   */
  retryAttempts?: number;
  /** Pause between connection attempts, in ms. @default 1000 */
  retryDelayMs?: number;
  /**
   * Escape hatch: extra TypeORM data-source options merged over the mapped ones (naming strategy,
   * subscribers, cache, ...). Kwik's pool, driver and embedded wiring are kept. @default {}
   */
  typeorm?: Partial<Omit<PostgresDataSourceOptions, 'type' | 'url' | 'driver' | 'extra' | 'poolSize'>>;
}
