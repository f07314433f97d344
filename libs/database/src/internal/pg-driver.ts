import pg, { Client, Pool } from 'pg';
import type { SqlObserver, SqlStatementEvent } from '../sql-observer.js';

type QueryCallback = (error: Error | null, result: unknown) => void;

interface PgResultLike {
  rowCount?: number | null;
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

function describe(args: unknown[]): { sql: string; paramCount: number } {
  const [config, values] = args as [{ text?: unknown; values?: unknown } | string, unknown];
  const sql = typeof config === 'string' ? config : String(config?.text ?? '');
  const params = Array.isArray(values) ? values : typeof config === 'object' ? config?.values : undefined;
  return { sql, paramCount: Array.isArray(params) ? params.length : 0 };
}

/**
 * A `pg.Client` that reports every statement to `observer`. Created per data source (a closure over
 * that module's observer, no global state) and handed to `pg.Pool` through its `Client` option.
 * Streams and cursors (submittables) pass through unobserved.
 */
export function createObservedClient(observer: SqlObserver): typeof Client {
  return class ObservedClient extends Client {
    override query(...args: any[]): any {
      const send = super.query as (...a: any[]) => any;
      const first = args[0] as { submit?: unknown } | undefined;
      if (!observer.observed || typeof first?.submit === 'function') return send.apply(this, args);
      const { sql, paramCount } = describe(args);
      const started = performance.now();
      const report = (error: unknown, result: unknown): void => {
        const event: SqlStatementEvent = {
          sql,
          paramCount,
          durationMs: performance.now() - started,
          rowCount: error ? null : countRows(result),
          ...(error ? { error: error instanceof Error ? error : new Error(String(error)) } : {}),
        };
        observer.publish(event);
      };
      const callbackAt = args.findIndex((a, i) => i > 0 && typeof a === 'function');
      if (callbackAt > 0) {
        const callback = args[callbackAt] as QueryCallback;
        args[callbackAt] = (error: Error | null, result: unknown) => {
          report(error, result);
          callback(error, result);
        };
        return send.apply(this, args);
      }
      return (send.apply(this, args) as Promise<unknown>).then(
        (result) => {
          report(undefined, result);
          return result;
        },
        (error: unknown) => {
          report(error, undefined);
          throw error;
        },
      );
    }
  };
}

/**
 * The `pg` module as TypeORM's `driver` option, with a `Pool` that refuses a connection when
 * `refuse()` returns an error (used on embedded PGlite, whose only connection a transaction may hold).
 */
export function createGuardedPgDriver(refuse: () => Error | undefined): typeof pg {
  class GuardedPool extends Pool {
    override connect(...args: any[]): any {
      const error = refuse();
      if (!error) return (super.connect as (...a: any[]) => any).apply(this, args);
      const callback = args[0] as ((e: Error) => void) | undefined;
      if (typeof callback === 'function') {
        process.nextTick(callback, error);
        return undefined;
      }
      return Promise.reject(error);
    }
  }
  // Delegates everything else (types, defaults, Client) to pg without touching its lazy `native` getter.
  return Object.create(pg, { Pool: { value: GuardedPool, enumerable: true } }) as typeof pg;
}
