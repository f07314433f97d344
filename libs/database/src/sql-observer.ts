import { Injectable, Logger } from '@nestjs/common';

/** One SQL statement as it reached the database, reported after it finished. */
export interface SqlStatementEvent {
  /** The statement text as sent (placeholders `$1`, `$2`, ... not substituted). */
  readonly sql: string;
  /** Number of bound parameters. */
  readonly paramCount: number;
  /** Time from sending the statement to its result, in milliseconds (sub-millisecond precision). */
  readonly durationMs: number;
  /** Rows returned or affected; `null` for statements without a count (`BEGIN`, `SET`, DDL). */
  readonly rowCount: number | null;
  /** The driver error when the statement failed. */
  readonly error?: Error;
}

/** Receives every statement; called synchronously after the statement finished, so keep it cheap. */
export type SqlListener = (event: SqlStatementEvent) => void;

/**
 * Reports every SQL statement the app's data source runs — on PostgreSQL and on embedded PGlite alike —
 * to whoever subscribed: the profiler, metrics, slow-query logs. Listeners run in the async context of
 * the code that issued the query, so they can read the `RequestContext` (request id, tenant).
 *
 * With no subscriber, statements are not timed at all.
 *
 * @example
 * constructor(observer: SqlObserver) {
 *   this.off = observer.subscribe((e) => histogram.observe(e.durationMs));
 * }
 * onModuleDestroy() { this.off(); }
 */
@Injectable()
export class SqlObserver {
  private readonly logger = new Logger('SqlObserver');
  private listeners: readonly SqlListener[] = [];

  /** True while at least one listener is subscribed. */
  get observed(): boolean {
    return this.listeners.length > 0;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: SqlListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Hands an event to every listener. Called by the pg client Kwik installs; a listener that throws is
   * logged and does not affect the query or the other listeners.
   */
  publish(event: SqlStatementEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`A SQL listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
