import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Starts a READ COMMITTED transaction, whatever the data source's default: after waiting for a schema
 * lock, the next statement must see what the lock holder committed, which a REPEATABLE READ snapshot
 * taken before the wait would not. Applies `lockTimeoutMs` as `SET LOCAL lock_timeout`.
 */
export async function beginTransaction(queryRunner: QueryRunner, lockTimeoutMs?: number): Promise<void> {
  await queryRunner.startTransaction('READ COMMITTED');
  if (lockTimeoutMs !== undefined) await queryRunner.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
}

/**
 * Rolls back everything `queryRunner` has open (also savepoints a failed migration left) and returns
 * the error to report: `error` itself, or one naming both when the rollback failed too.
 */
export async function rollbackAfter(queryRunner: QueryRunner, error: unknown): Promise<unknown> {
  try {
    while (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
    return error;
  } catch (rollbackError) {
    const message = error instanceof Error ? error.message : String(error);
    const rollback = rollbackError instanceof Error ? rollbackError.message : String(rollbackError);
    return new AggregateError([error, rollbackError], `${message} (and the rollback failed: ${rollback})`);
  }
}

/** Runs `fn` in a transaction on a connection of its own; commits when it resolves, rolls back when it throws. */
export async function inTransaction<T>(
  dataSource: DataSource,
  fn: (queryRunner: QueryRunner) => Promise<T>,
  lockTimeoutMs?: number,
): Promise<T> {
  const queryRunner = dataSource.createQueryRunner('master');
  try {
    await queryRunner.connect();
    await beginTransaction(queryRunner, lockTimeoutMs);
    try {
      const result = await fn(queryRunner);
      await queryRunner.commitTransaction();
      return result;
    } catch (error) {
      throw await rollbackAfter(queryRunner, error);
    }
  } finally {
    await queryRunner.release();
  }
}
