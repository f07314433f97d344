import { isAbsolute, resolve } from 'node:path';
import type {
  DatabaseLogging,
  DatabaseModuleOptions,
  DatabasePoolOptions,
  PostgresDataSourceOptions,
} from './database-options.interface.js';
import { DatabaseError, DatabaseErrorCode } from './database.errors.js';

/** Options after defaults and validation: what the data-source factory maps to TypeORM. Frozen. */
export interface ResolvedDatabaseOptions {
  /** `server` when `url` is set, else `embedded` (PGlite). */
  readonly mode: 'server' | 'embedded';
  readonly url: string | undefined;
  readonly pool: Readonly<Required<Omit<DatabasePoolOptions, 'statementTimeoutMs'>>> & {
    readonly statementTimeoutMs: number | undefined;
  };
  /** Absolute data directory, or `undefined` for an in-memory database. Meaningful in embedded mode only. */
  readonly dataDir: string | undefined;
  readonly entities: NonNullable<PostgresDataSourceOptions['entities']>;
  readonly autoLoadEntities: boolean;
  readonly migrations: NonNullable<PostgresDataSourceOptions['migrations']>;
  readonly migrationsRun: boolean;
  readonly migrationsTableName: string;
  readonly synchronize: boolean;
  readonly logging: DatabaseLogging;
  readonly applicationName: string;
  readonly retryAttempts: number;
  readonly retryDelayMs: number;
  readonly typeorm: NonNullable<DatabaseModuleOptions['typeorm']>;
}

/** Default data directory of the embedded database, relative to `process.cwd()`. */
export const DEFAULT_EMBEDDED_DATA_DIR = '.kwik/pglite';

const URL_PATTERN = /^postgres(?:ql)?:\/\/\S+$/;
const TABLE_NAME_PATTERN = /^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$/;

/** Hides the password of a connection URL before it goes into a message. */
function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

function checkUrl(url: string): string {
  if (!URL_PATTERN.test(url) || !URL.canParse(url)) {
    const shown = url === '' ? 'an empty string' : `'${redact(url)}'`;
    throw new DatabaseError(
      DatabaseErrorCode.InvalidUrl,
      `DatabaseModule option \`url\` (usually DATABASE_URL) must be a postgres:// or postgresql:// URL such as postgres://user:pass@localhost:5432/app, got ${shown}. Leave it unset to use the embedded database.`,
    );
  }
  return url;
}

function checkInt(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) {
    throw new DatabaseError(
      DatabaseErrorCode.InvalidOptions,
      `DatabaseModule option \`${name}\` must be a whole number of at least ${min}, got ${String(value)}.`,
    );
  }
  return v;
}

/**
 * Applies the defaults of {@link DatabaseModuleOptions} and validates them, once, at bootstrap.
 * Throws a `DatabaseError` (`KWIK_DATABASE_INVALID_URL`, `KWIK_DATABASE_INVALID_OPTIONS`) that says how to fix it.
 *
 * @example
 * resolveDatabaseOptions({}).mode // 'embedded', dataDir `<cwd>/.kwik/pglite`
 */
export function resolveDatabaseOptions(
  options: DatabaseModuleOptions = {},
  cwd: string = process.cwd(),
): ResolvedDatabaseOptions {
  const url = options.url === undefined ? undefined : checkUrl(options.url);
  const pool = options.pool ?? {};
  const statementTimeoutMs =
    pool.statementTimeoutMs === undefined
      ? undefined
      : checkInt('pool.statementTimeoutMs', pool.statementTimeoutMs, 0, 0);
  const migrationsTableName = options.migrationsTableName ?? 'kwik_migrations';
  if (!TABLE_NAME_PATTERN.test(migrationsTableName)) {
    throw new DatabaseError(
      DatabaseErrorCode.InvalidOptions,
      `DatabaseModule option \`migrationsTableName\` must be a plain SQL identifier such as kwik_migrations (optionally schema-qualified), got '${migrationsTableName}'.`,
    );
  }
  const embedded = options.embedded ?? {};
  const dir = embedded.dataDir ?? DEFAULT_EMBEDDED_DATA_DIR;
  return Object.freeze({
    mode: url === undefined ? 'embedded' : 'server',
    url,
    pool: Object.freeze({
      max: checkInt('pool.max', pool.max, 10, 1),
      idleTimeoutMillis: checkInt('pool.idleTimeoutMillis', pool.idleTimeoutMillis, 10_000, 0),
      connectionTimeoutMillis: checkInt(
        'pool.connectionTimeoutMillis',
        pool.connectionTimeoutMillis,
        5_000,
        0,
      ),
      statementTimeoutMs,
    }),
    dataDir: embedded.inMemory === true ? undefined : isAbsolute(dir) ? dir : resolve(cwd, dir),
    entities: options.entities ?? [],
    autoLoadEntities: options.autoLoadEntities ?? true,
    migrations: options.migrations ?? [],
    migrationsRun: options.migrationsRun ?? false,
    migrationsTableName,
    synchronize: options.synchronize ?? false,
    logging: options.logging ?? ['warn', 'migration'],
    applicationName: options.applicationName ?? 'kwik',
    retryAttempts: url === undefined ? 0 : checkInt('retryAttempts', options.retryAttempts, 5, 0),
    retryDelayMs: checkInt('retryDelayMs', options.retryDelayMs, 1_000, 0),
    typeorm: options.typeorm ?? {},
  } satisfies ResolvedDatabaseOptions);
}
