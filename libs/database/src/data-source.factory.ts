import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseModuleOptions, PostgresDataSourceOptions } from './database-options.interface.js';
import { resolveDatabaseOptions, type ResolvedDatabaseOptions } from './database-options.resolve.js';
import { DatabaseError, DatabaseErrorCode } from './database.errors.js';
import { NestTypeOrmLogger } from './internal/nest-typeorm.logger.js';
import type { DatabaseSessionScope } from './database-session-scope.js';
import { createKwikClient, createKwikPgDriver } from './internal/pg-driver.js';
import type { TransactionScope } from './internal/transaction-scope.js';
import { KwikDataSource, RELEASE_AFTER_DESTROY, type OwningDataSourceOptions } from './kwik-data-source.js';
import type { SqlObserver } from './sql-observer.js';

/** What a data source is wired to besides its options. */
export interface DataSourceHooks {
  /** Receives every statement (see `SqlObserver`). @default none: statements are not observed */
  observer?: SqlObserver;
  /**
   * Gives every statement the role and settings its provider answers for the calling code (see
   * `DatabaseSessionScope`); read per statement, so the provider may be registered later.
   * @default none: statements run as the connecting user
   */
  sessionScope?: DatabaseSessionScope;
}

/** The module's wiring: also the transaction scope, so that on embedded PGlite pool use inside a transaction fails fast. */
export interface ModuleDataSourceHooks extends DataSourceHooks {
  scope?: TransactionScope;
}

/** The driver-level pieces `toTypeOrmOptions` puts into TypeORM's options. */
export interface DriverWiring {
  /** Spread into `extra` (pg.Pool options): PGlite's connection config, a `Client` class. */
  extra?: Record<string, unknown>;
  /** TypeORM `driver` (a `pg`-compatible module). */
  driver?: unknown;
}

/**
 * Maps resolved Kwik options to TypeORM's PostgreSQL options. Pure: the one place this mapping lives,
 * shared by `DatabaseModule` and the migrations CLI.
 */
export function toTypeOrmOptions(
  resolved: ResolvedDatabaseOptions,
  wiring: DriverWiring = {},
): PostgresDataSourceOptions {
  const embedded = resolved.mode === 'embedded';
  const { pool } = resolved;
  const extra: Record<string, unknown> = {
    // Embedded: keep PGlite's single connection open instead of re-attaching it after idling.
    idleTimeoutMillis: embedded ? 0 : pool.idleTimeoutMillis,
    connectionTimeoutMillis: pool.connectionTimeoutMillis,
    ...(!embedded && pool.statementTimeoutMs !== undefined
      ? { statement_timeout: pool.statementTimeoutMs }
      : {}),
    ...wiring.extra,
  };
  return {
    entities: resolved.entities,
    migrations: resolved.migrations,
    migrationsRun: resolved.migrationsRun,
    migrationsTableName: resolved.migrationsTableName,
    synchronize: resolved.synchronize,
    logging: resolved.logging as PostgresDataSourceOptions['logging'],
    logger: new NestTypeOrmLogger(resolved.logging as PostgresDataSourceOptions['logging']),
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no uuid-ossp extension to install.
    uuidExtension: 'pgcrypto',
    connectTimeoutMS: pool.connectionTimeoutMillis,
    // PGlite only has the extensions loaded into it at creation: TypeORM's CREATE EXTENSION would fail and warn.
    ...(embedded ? { installExtensions: false } : { applicationName: resolved.applicationName }),
    ...resolved.typeorm,
    type: 'postgres',
    ...(embedded ? {} : { url: resolved.url }),
    ...(wiring.driver === undefined ? {} : { driver: wiring.driver }),
    poolSize: embedded ? 1 : pool.max,
    extra,
  };
}

async function openEmbedded(
  dataDir: string | undefined,
): Promise<{ pglite: PGlite; pgConfig: Record<string, unknown> }> {
  let modules;
  try {
    // Loaded only in embedded mode: with DATABASE_URL set the app never pays for PGlite.
    modules = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/node-postgres'),
    ]);
  } catch (cause) {
    throw new DatabaseError(
      DatabaseErrorCode.EmbeddedUnavailable,
      'The embedded database needs @electric-sql/pglite: run `npm install @electric-sql/pglite`, or set `url` (DATABASE_URL) to use a PostgreSQL server.',
      { cause },
    );
  }
  const [{ PGlite }, { createPgConfig }] = modules;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
  try {
    await pglite.waitReady;
  } catch (cause) {
    throw new DatabaseError(
      DatabaseErrorCode.EmbeddedUnavailable,
      `The embedded database in ${dataDir ?? 'memory'} could not be opened (${cause instanceof Error ? cause.message : String(cause)}). Check that the directory is writable and not used by another process, or delete it to start afresh.`,
      { cause },
    );
  }
  return { pglite, pgConfig: { ...createPgConfig(pglite) } };
}

function refuseInTransaction(scope: TransactionScope): () => Error | undefined {
  return () =>
    scope.current()
      ? new DatabaseError(
          DatabaseErrorCode.QueryOutsideTransaction,
          "A query asked the pool for a connection while this code holds the embedded database's only connection in a transaction, so it would wait forever. Inside TransactionManager.run(), query through the EntityManager it hands you (or TransactionManager.manager / getRepository()), not through an injected Repository, EntityManager or DataSource.",
        )
      : undefined;
}

/**
 * Builds TypeORM options from Kwik options, opening the embedded PGlite engine when `url` is unset.
 * The returned options own that engine: give them to a `KwikDataSource`, whose `destroy()` closes it.
 */
export async function prepareDataSourceOptions(
  resolved: ResolvedDatabaseOptions,
  hooks: ModuleDataSourceHooks = {},
): Promise<OwningDataSourceOptions> {
  const { observer, sessionScope, scope } = hooks;
  const extra: Record<string, unknown> =
    observer || sessionScope
      ? {
          Client: createKwikClient({
            ...(observer ? { observer } : {}),
            ...(sessionScope ? { session: () => sessionScope.current() } : {}),
          }),
        }
      : {};
  if (resolved.mode === 'server') {
    return toTypeOrmOptions(resolved, { extra, ...(sessionScope ? { driver: createKwikPgDriver() } : {}) });
  }
  const { pglite, pgConfig } = await openEmbedded(resolved.dataDir);
  const options = toTypeOrmOptions(resolved, {
    extra: { ...pgConfig, ...extra },
    ...(scope || sessionScope
      ? { driver: createKwikPgDriver(scope ? refuseInTransaction(scope) : undefined) }
      : {}),
  });
  return { ...options, [RELEASE_AFTER_DESTROY]: () => pglite.close() };
}

/**
 * Creates and initialises the data source Kwik options describe — PostgreSQL when `url` is set, else
 * embedded PGlite — with the same mapping `DatabaseModule` uses; for scripts, seeds, the migrations CLI
 * and tests. `destroy()` ends the pool and closes PGlite. When initialising fails (server unreachable,
 * a migration with `migrationsRun` fails), the embedded engine is closed before the error is thrown.
 *
 * @example
 * const ds = await createDataSource({ url: process.env.DATABASE_URL, entities: [Post] });
 * try { console.log(await ds.getRepository(Post).count()); } finally { await ds.destroy(); }
 *
 * // with a session scope (row-level security), outside Nest:
 * const sessionScope = new DatabaseSessionScope();
 * sessionScope.use(() => currentTenantSettings());
 * const scoped = await createDataSource({ url }, { sessionScope });
 */
export async function createDataSource(
  options: DatabaseModuleOptions = {},
  hooks: DataSourceHooks = {},
): Promise<KwikDataSource> {
  const dataSource = new KwikDataSource(
    await prepareDataSourceOptions(resolveDatabaseOptions(options), hooks),
  );
  return dataSource.initializeOrRelease();
}
