import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  type EntityTarget,
  type ObjectLiteral,
  type Repository,
} from 'typeorm';
import { DatabaseError, DatabaseErrorCode } from './database.errors.js';
import { TransactionScope } from './internal/transaction-scope.js';

/** Isolation levels PostgreSQL implements (`READ UNCOMMITTED` behaves as `READ COMMITTED` there). */
export type TransactionIsolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** Options of {@link TransactionManager.run}. */
export interface TransactionOptions {
  /** Isolation level of a new transaction. @default the data source's `isolationLevel`, else PostgreSQL's READ COMMITTED */
  isolation?: TransactionIsolation;
}

/**
 * Runs work in a database transaction and makes that transaction the ambient one for everything the
 * work calls: `manager` and `getRepository()` answer with the transaction's EntityManager anywhere
 * below `run()`, and a nested `run()` joins the outer transaction instead of opening a second one.
 *
 * Query through the EntityManager `run()` hands you (or `manager` / `getRepository()`), never through an
 * injected `Repository` or `DataSource` inside a transaction: those take another pooled connection, so
 * on a server they run outside the transaction, and on embedded PGlite — one connection — they fail at
 * once with `KWIK_DATABASE_QUERY_OUTSIDE_TRANSACTION` instead of waiting forever.
 *
 * @example
 * await this.tx.run(async (em) => {
 *   const post = await em.findOneByOrFail(Post, { id });
 *   post.views += 1;
 *   await em.save(post);
 *   await this.audit.record('viewed', post); // uses this.tx.manager: same transaction
 * });
 */
@Injectable()
export class TransactionManager {
  private readonly logger = new Logger('KwikDatabase');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: TransactionScope,
  ) {}

  /** The active transaction's EntityManager inside `run()`, else the data source's default one. */
  get manager(): EntityManager {
    return this.scope.current()?.manager ?? this.dataSource.manager;
  }

  /** True inside `run()` while its transaction is open. */
  get inTransaction(): boolean {
    return this.scope.current() !== undefined;
  }

  /**
   * Runs `fn` once the current transaction has committed — never when it rolls back; outside a
   * transaction, now. Inside `run()` the outermost `run()` awaits the callbacks, in order, after
   * COMMIT and before it resolves; a callback that throws is logged (the transaction stays
   * committed) and the next one still runs. For work that must not happen unless the data is
   * there: relaying an outbox, publishing an event, purging a cache.
   *
   * @example
   * await this.tx.run(async (em) => {
   *   await em.save(order);
   *   this.tx.afterCommit(() => this.events.publish('order.placed', order.id));
   * });
   */
  afterCommit(fn: () => unknown): void {
    const tx = this.scope.current();
    if (tx) tx.afterCommit.push(fn);
    else void this.runAfterCommit([fn]);
  }

  /** A repository bound to {@link manager}: transactional inside `run()`. */
  getRepository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(target);
  }

  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back when it throws (and rethrows).
   * Inside another `run()` it joins that transaction; asking the nested call for a different isolation
   * level throws `KWIK_DATABASE_ISOLATION_CONFLICT`.
   */
  async run<T>(fn: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const outer = this.scope.current();
    if (outer) {
      if (options.isolation !== undefined && options.isolation !== outer.isolation) {
        throw new DatabaseError(
          DatabaseErrorCode.IsolationConflict,
          `A nested TransactionManager.run() asked for ${options.isolation} but joins a ${outer.isolation} transaction. Drop the nested isolation option, or set it on the outermost run().`,
        );
      }
      return fn(outer.manager);
    }
    const isolation =
      options.isolation ??
      (this.dataSource.options.isolationLevel as TransactionIsolation | undefined) ??
      'READ COMMITTED';
    const afterCommit: (() => unknown)[] = [];
    const work = (manager: EntityManager): Promise<T> =>
      this.scope.run({ manager, isolation, afterCommit }, () => fn(manager));
    // Without an explicit level TypeORM applies the data source's own and sends no extra SET statement.
    const result = await (options.isolation
      ? this.dataSource.transaction(options.isolation, work)
      : this.dataSource.transaction(work));
    if (afterCommit.length > 0) await this.runAfterCommit(afterCommit);
    return result;
  }

  private async runAfterCommit(callbacks: readonly (() => unknown)[]): Promise<void> {
    for (const fn of callbacks) {
      try {
        await fn();
      } catch (error) {
        this.logger.error(
          `An afterCommit callback failed (the transaction is committed): ${error instanceof Error ? error.message : String(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
      }
    }
  }
}
