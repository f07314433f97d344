import { AsyncResource } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import pg, { Client, Pool } from 'pg';
import type { DatabaseSessionSettings } from '../database-session-scope.js';
import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';
import type { SqlObserver, SqlStatementEvent } from '../sql-observer.js';
import { ScopedQuery, SessionState, type PgConnection, type QueryCallback } from './scoped-query.js';
import { SessionPrefixes } from './session-prefix.js';

interface PgResultLike {
  rowCount?: number | null;
}

/** A query config as `client.query()` may receive it. */
interface QueryConfigLike {
  text?: unknown;
  values?: unknown;
  rows?: unknown;
  callback?: unknown;
  query_timeout?: number;
  submit?: unknown;
  handleError?: (error: Error, connection: unknown) => void;
}

function countRows(result: unknown): number | null {
  if (Array.isArray(result)) {
    // A multi-statement simple query answers one result per statement.
    let total: number | null = null;
    for (const r of result as PgResultLike[])
      if (typeof r?.rowCount === 'number') total = (total ?? 0) + r.rowCount;
    return total;
  }
  const count = (result as PgResultLike | undefined)?.rowCount;
  return typeof count === 'number' ? count : null;
}

function describe(config: unknown, values: unknown): { sql: string; paramCount: number } {
  const query = config as QueryConfigLike | string | undefined;
  const sql = typeof query === 'string' ? query : String(query?.text ?? '');
  const params = Array.isArray(values) ? values : typeof query === 'object' ? query?.values : undefined;
  return { sql, paramCount: Array.isArray(params) ? params.length : 0 };
}

/** A function that reports one statement to `observer` once it has finished. */
function reporter(observer: SqlObserver, config: unknown, values: unknown): QueryCallback {
  const { sql, paramCount } = describe(config, values);
  const started = performance.now();
  return (error, result) => {
    const event: SqlStatementEvent = {
      sql,
      paramCount,
      durationMs: performance.now() - started,
      rowCount: error ? null : countRows(result),
      ...(error ? { error: error instanceof Error ? error : new Error(String(error)) } : {}),
    };
    observer.publish(event);
  };
}

function scopedStreamError(): DatabaseError {
  return new DatabaseError(
    DatabaseErrorCode.ScopedStream,
    'A stream, cursor, COPY or `rows` query was started under a database session scope outside a transaction, or while the connection was still busy. Its several round trips cannot carry the scope, and it never runs without it: run it inside TransactionManager.run() (through the EntityManager it passes you) so the scope applies to the whole transaction, await the statements before it, or start it in DatabaseSessionScope.runUnscoped() if it must run as the connecting user.',
  );
}

function mixedControlError(): DatabaseError {
  return new DatabaseError(
    DatabaseErrorCode.ScopedTransactionControl,
    'A query string with several statements mixes transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET TRANSACTION, ...) with other statements under a database session scope: the statements after a COMMIT would run without the scope. Send the transaction control as queries of their own, or use TransactionManager.run().',
  );
}

/** What the Kwik pg client is wired to. */
export interface KwikClientOptions {
  /** Receives every statement. @default none */
  observer?: SqlObserver;
  /**
   * Answers the session settings of the calling code, once per statement (`DatabaseSessionScope.current`).
   * @default none: every statement runs as the connecting user
   */
  session?: () => DatabaseSessionSettings | undefined;
}

/**
 * The `pg.Client` Kwik hands to `pg.Pool` through its `Client` option, created per data source (a
 * closure over that module's observer and session scope, no global state). It reports every statement
 * to the observer (streams and cursors pass through unobserved) and runs each under the session scope
 * of the code that issued it (see `ScopedQuery`).
 */
export function createKwikClient({ observer, session }: KwikClientOptions): typeof Client {
  const prefixes = new SessionPrefixes();

  return class KwikClient extends Client {
    private readonly state = new SessionState(prefixes, this.pipeline);
    private listening = false;

    override connect(...args: any[]): any {
      if (!this.listening) {
        this.listening = true;
        // Registered before pg's own listeners (added while connecting): the state is current when pg
        // hands the connection to the next queued statement.
        const connection = this.connection as unknown as EventEmitter;
        connection.on('readyForQuery', (message?: { status?: string }) =>
          this.state.readyForQuery(message?.status),
        );
        connection.on('parseComplete', () => this.state.parseComplete());
      }
      return (super.connect as (...a: any[]) => any).apply(this, args);
    }

    override query(config: any, values?: any, callback?: any): any {
      let target: DatabaseSessionSettings | undefined;
      try {
        target = session?.();
      } catch (error) {
        return this.fail(error as Error, config, values, callback);
      }
      if (target === undefined && this.state.applied === undefined)
        return this.plain(config, values, callback);
      if (config == null) return this.plain(config, values, callback); // pg's TypeError
      if (typeof config.submit === 'function' || (typeof config === 'object' && config.rows))
        return this.stream(target, config, values, callback);
      return this.scoped(target, config, values, callback);
    }

    /** A statement as pg runs it, observed. */
    private plain(config: any, values: any, callback: any): any {
      const send = super.query as (...a: any[]) => any;
      if (!observer?.observed || typeof config?.submit === 'function')
        return send.call(this, config, values, callback);
      const report = reporter(observer, config, values);
      const args: unknown[] = [config, values, callback];
      const callbackAt = args.findIndex((a, i) => i > 0 && typeof a === 'function');
      if (callbackAt > 0) {
        const given = args[callbackAt] as QueryCallback;
        args[callbackAt] = (error: Error | null, result: unknown) => {
          report(error, result);
          given(error, result);
        };
        return send.apply(this, args);
      }
      const sent = send.apply(this, args) as Promise<unknown> | undefined;
      // A config with its own `callback` gets no promise from pg: it runs unobserved.
      if (sent === undefined) return sent;
      return sent.then(
        (result) => {
          report(null, result);
          return result;
        },
        (error: Error) => {
          report(error);
          throw error;
        },
      );
    }

    /** A statement that applies or resets the session scope in its own transaction. */
    private scoped(
      target: DatabaseSessionSettings | undefined,
      config: any,
      values: any,
      callback: any,
    ): any {
      const query = new ScopedQuery(config, values, callback, this.state, target);
      let result: Promise<unknown> | undefined;
      if (!query.callback) {
        // pg returns a submittable itself from client.query(): the promise is built here, as pg would.
        result = new Promise((resolve, reject) => {
          query.callback = (error, rows) => (error ? reject(error) : resolve(rows));
        }).catch((error: Error) => {
          Error.captureStackTrace(error);
          throw error;
        });
      } else if (typeof query.callback !== 'function') throw new TypeError('callback is not a function');
      if (typeof config === 'object' && config.query_timeout) query.query_timeout = config.query_timeout;
      if (observer?.observed) {
        const report = reporter(observer, config, values);
        const given = query.callback!;
        query.callback = (error, rows) => {
          report(error, rows);
          given(error, rows);
        };
      }
      const refusal =
        this.refusal(target) ?? (target && query.kind === 'mixed' ? mixedControlError() : undefined);
      if (refusal) {
        process.nextTick(() => query.handleError(refusal, this.connection as unknown as PgConnection));
        return result;
      }
      (super.query as (q: unknown) => unknown).call(this, query);
      return result;
    }

    /**
     * Streams, cursors, COPY and `rows` queries take several round trips, which a prefix cannot span.
     * They run when the transaction already has their scope, or right after a statement that applies
     * it inside an open transaction block; otherwise they are refused, never run unscoped.
     */
    private stream(
      target: DatabaseSessionSettings | undefined,
      config: any,
      values: any,
      callback: any,
    ): any {
      const idle = (this as unknown as { readyForQuery?: boolean }).readyForQuery === true;
      let refusal = this.refusal(target) ?? (idle ? undefined : scopedStreamError());
      if (!refusal && target !== this.state.applied) {
        if (this.state.status === 'T' && !this.pipeline) {
          // Queued back to back: nothing can run in between. Should applying fail, the transaction is
          // aborted and the stream fails with it.
          const apply = new ScopedQuery('', undefined, () => undefined, this.state, target, 'plain');
          (super.query as (q: unknown) => unknown).call(this, apply);
        } else refusal = scopedStreamError();
      }
      if (refusal) return this.fail(refusal, config, values, callback);
      return this.plain(config, values, callback);
    }

    private refusal(target: DatabaseSessionSettings | undefined): DatabaseError | undefined {
      if (target === undefined) return undefined;
      try {
        prefixes.validate(target);
        return undefined;
      } catch (error) {
        return error as DatabaseError;
      }
    }

    /** Fails a statement that was never sent, through the form it was issued in. */
    private fail(error: Error, config: any, values: any, callback: any): any {
      const connection = this.connection;
      if (typeof config?.submit === 'function') {
        const submittable = config as QueryConfigLike;
        process.nextTick(() => submittable.handleError?.(error, connection));
        return submittable;
      }
      const given = [values, callback, config?.callback].find((f) => typeof f === 'function') as
        QueryCallback | undefined;
      if (given) {
        process.nextTick(given, error);
        return undefined;
      }
      return Promise.reject(error);
    }
  };
}

/**
 * The `pg` module as TypeORM's `driver` option, with a `Pool` that
 * - refuses a connection when `refuse()` returns an error (embedded PGlite, whose only connection a
 *   transaction may hold);
 * - runs a `connect(callback)` that has to wait for a connection in the async context of its caller, not
 *   of whoever frees one: the session scope is read from that context (`pool.query()` waits that way).
 */
export function createKwikPgDriver(refuse?: () => Error | undefined): typeof pg {
  class KwikPool extends Pool {
    override connect(...args: any[]): any {
      const error = refuse?.();
      const callback = args[0] as ((e: Error) => void) | undefined;
      if (!error) {
        if (typeof callback === 'function' && this.mustWait()) {
          // Not AsyncResource.bind(): on Node 20 it builds deprecation wrappers on every call.
          const resource = new AsyncResource('KwikPoolConnect');
          args[0] = (...result: unknown[]) => resource.runInAsyncScope(callback, undefined, ...result);
        }
        return (super.connect as (...a: any[]) => any).apply(this, args);
      }
      if (typeof callback === 'function') {
        process.nextTick(callback, error);
        return undefined;
      }
      return Promise.reject(error);
    }

    private mustWait(): boolean {
      const max = this.options.max ?? 10;
      return this.waitingCount > 0 || (this.idleCount === 0 && this.totalCount >= max);
    }
  }
  // Delegates everything else (types, defaults, Client) to pg without touching its lazy `native` getter.
  return Object.create(pg, { Pool: { value: KwikPool, enumerable: true } }) as typeof pg;
}
