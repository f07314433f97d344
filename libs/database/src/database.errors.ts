import { KwikError } from '@kwik/core';

/**
 * Stable codes of the errors `@kwik/database` throws (listed in `docs/errors.md`).
 */
export const DatabaseErrorCode = {
  /** `url` is not a `postgres://` / `postgresql://` URL. */
  InvalidUrl: 'KWIK_DATABASE_INVALID_URL',
  /** An option has a value out of range (pool sizes, timeouts, table name). */
  InvalidOptions: 'KWIK_DATABASE_INVALID_OPTIONS',
  /** The PostgreSQL server at `url` did not answer (refused, unknown host, timeout, starting up) after the retries. */
  Unreachable: 'KWIK_DATABASE_UNREACHABLE',
  /** The database named in `url` does not exist on the server. */
  DatabaseNotFound: 'KWIK_DATABASE_NOT_FOUND',
  /** The server refused the user or password in `url`. */
  AuthFailed: 'KWIK_DATABASE_AUTH_FAILED',
  /** The embedded engine (`@electric-sql/pglite`) could not be loaded or opened. */
  EmbeddedUnavailable: 'KWIK_DATABASE_EMBEDDED_UNAVAILABLE',
  /** On embedded PGlite, a query went through the pool while this code holds the only connection in a transaction. */
  QueryOutsideTransaction: 'KWIK_DATABASE_QUERY_OUTSIDE_TRANSACTION',
  /** A nested `TransactionManager.run()` asked for an isolation level other than the outer transaction's. */
  IsolationConflict: 'KWIK_DATABASE_ISOLATION_CONFLICT',
  /** A migration name (or timestamp) that cannot become a class and file name. */
  InvalidMigrationName: 'KWIK_DATABASE_INVALID_MIGRATION_NAME',
  /** `generate` found no difference between the entities and the database. */
  NoSchemaChanges: 'KWIK_DATABASE_NO_SCHEMA_CHANGES',
  /** The migrations CLI was called wrongly, or its `--data-source` module exports nothing usable. */
  CliUsage: 'KWIK_DATABASE_CLI_USAGE',
  /** `DatabaseSessionScope.use()` was called a second time: one provider decides every statement's settings. */
  SessionScopeInUse: 'KWIK_DATABASE_SESSION_SCOPE_IN_USE',
  /** A session-scope provider answered settings that are not frozen, or with a bad role or setting name or value. */
  InvalidSessionSettings: 'KWIK_DATABASE_INVALID_SESSION_SETTINGS',
  /** A stream, cursor, COPY or `rows` query under a session scope outside a transaction that already has the scope. */
  ScopedStream: 'KWIK_DATABASE_SCOPED_STREAM',
  /** A multi-statement query under a session scope mixes transaction control with other statements. */
  ScopedTransactionControl: 'KWIK_DATABASE_SCOPED_TRANSACTION_CONTROL',
} as const;

export type DatabaseErrorCodeValue = (typeof DatabaseErrorCode)[keyof typeof DatabaseErrorCode];

/**
 * A misconfiguration or misuse of `@kwik/database`; `code` is one of {@link DatabaseErrorCode}
 * and the message says how to fix it.
 *
 * @example
 * try { await tx.run(work, { isolation: 'SERIALIZABLE' }) }
 * catch (e) { if (e instanceof DatabaseError && e.code === DatabaseErrorCode.IsolationConflict) ... }
 */
export class DatabaseError extends KwikError {
  declare readonly code: DatabaseErrorCodeValue;

  constructor(code: DatabaseErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DatabaseError';
  }
}
