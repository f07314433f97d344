import type { ResolvedBackoff } from '../backoff.js';

/** Something that runs SQL: a TypeORM EntityManager / DataSource (`query(sql, params)`). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** A job as the store returns it. */
export interface JobRow {
  id: string;
  queue: string;
  name: string;
  payload: unknown;
  state: 'pending' | 'running' | 'completed' | 'dead' | 'cancelled';
  priority: number;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  backoff: ResolvedBackoff | null;
  dedupKey: string | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: { message: string; name?: string; permanent?: boolean } | null;
  result: unknown;
  context: Record<string, unknown> | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * The rows of a statement: TypeORM's PostgreSQL driver answers `UPDATE … RETURNING` with
 * `[rows, affectedCount]` and other statements with the rows.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}

/**
 * Statements straight on the data source's `pg` pool (TypeORM's query runner costs a connect and
 * release per statement on top); the data source itself where there is no pool (embedded PGlite).
 * Only for statements outside any transaction. With `unscoped`, each statement runs as the
 * connecting user whatever the caller's context (a tenant's restricted role under `@kwik/tenant`):
 * workers, the relay and the operations API manage every tenant's jobs.
 */
export function poolQueryable(
  dataSource: Queryable & { driver: unknown },
  unscoped?: { runUnscoped<T>(fn: () => T): T },
): Queryable {
  const pool = (dataSource.driver as { master?: { query?: unknown } }).master;
  let run: Queryable['query'];
  if (typeof pool?.query !== 'function') run = (sql, params) => dataSource.query(sql, params);
  else {
    const query = pool.query as (config: {
      name: string;
      text: string;
      values?: unknown[];
    }) => Promise<{ rows: unknown[] }>;
    // Named (prepared) statements: PostgreSQL parses and plans each of the driver's few fixed
    // statements once per connection instead of once per job.
    run = (sql, params) =>
      query.call(pool, { name: statementName(sql), text: sql, values: params }).then((r) => r.rows);
  }
  if (!unscoped) return { query: run };
  return { query: (sql, params) => unscoped.runUnscoped(() => run(sql, params)) };
}

const statementNames = new Map<string, string>();

/** A prepared-statement name per SQL text (the driver's texts are a small fixed set). */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) statementNames.set(sql, (name = `kwik_tasks_${statementNames.size + 1}`));
  return name;
}

/**
 * A WHERE condition that turns off `synchronous_commit` for the statement's own (implicit)
 * transaction. Used on the workers' bookkeeping (claims, completions, failures, leases, cleanup):
 * should PostgreSQL crash before such a commit reaches disk, the job is simply run again (its lease
 * expires), which at-least-once delivery allows — while each job's WAL flush is no longer waited
 * for. Enqueues, redrives and cancels stay synchronous: their callers were told they happened.
 */
const ASYNC_COMMIT = `set_config('synchronous_commit', 'off', true) IS NOT NULL`;

/** What is inserted for one job. */
export interface NewJob {
  queue: string;
  name: string;
  payload: unknown;
  /** The payload already written as JSON (saves writing it twice). */
  payloadJson?: string;
  priority: number;
  runAt: Date | null;
  delayMs: number;
  maxAttempts: number;
  backoff: ResolvedBackoff;
  dedupKey: string | null;
  context: Record<string, unknown> | null;
}

/** $1–$8 of both enqueue statements: queue, name, payload, priority, runAt, delay, attempts, backoff. */
function jobValues(job: NewJob): unknown[] {
  return [
    job.queue,
    job.name,
    job.payloadJson ?? JSON.stringify(job.payload ?? null),
    job.priority,
    job.runAt,
    job.delayMs,
    job.maxAttempts,
    JSON.stringify(job.backoff),
  ];
}

function contextJson(job: NewJob): string | null {
  return job.context === null ? null : JSON.stringify(job.context);
}

/**
 * The SQL of the PostgreSQL driver, on `kwik_jobs`. Every statement is one round trip; claims take
 * a batch with `FOR UPDATE SKIP LOCKED`, so workers never wait on each other's rows.
 */
export const JobStore = {
  /**
   * Inserts a job (on the caller's connection: inside a transaction it commits or rolls back with it)
   * and returns its id; with a dedup key already pending or running on the queue, that job's id.
   */
  async enqueue(db: Queryable, job: NewJob): Promise<{ id: string; deduplicated: boolean }> {
    if (job.dedupKey === null) {
      // No key to deduplicate on: a plain insert (the common case, and the cheaper plan).
      const [row] = rowsOf<{ id: string }>(
        await db.query(
          `INSERT INTO "kwik_jobs" ("queue", "name", "payload", "priority", "runAt", "maxAttempts", "backoff", "context")
           VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now() + $6 * interval '1 millisecond'), $7, $8, $9)
           RETURNING "id"::text AS "id"`,
          [...jobValues(job), contextJson(job)],
        ),
      );
      return { id: row!.id, deduplicated: false };
    }
    const rows: { id: string; inserted: boolean }[] = await db.query(
      `WITH ins AS (
         INSERT INTO "kwik_jobs" ("queue", "name", "payload", "priority", "runAt", "maxAttempts", "backoff", "dedupKey", "context")
         VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now() + $6 * interval '1 millisecond'), $7, $8, $9, $10)
         ON CONFLICT ("queue", "dedupKey") WHERE "dedupKey" IS NOT NULL AND "state" IN ('pending', 'running') DO NOTHING
         RETURNING "id"
       )
       SELECT "id"::text AS "id", true AS "inserted" FROM ins
       UNION ALL
       SELECT "id"::text, false FROM "kwik_jobs"
        WHERE $9::text IS NOT NULL AND "queue" = $1 AND "dedupKey" = $9 AND "state" IN ('pending', 'running')
          AND NOT EXISTS (SELECT 1 FROM ins)
       LIMIT 1`,
      [...jobValues(job), job.dedupKey, contextJson(job)],
    );
    const row = rows[0];
    if (row) return { id: row.id, deduplicated: !row.inserted };
    // Another transaction inserted the key meanwhile: this statement waited for it, then did
    // nothing, but its snapshot predates that row. A new statement sees it.
    const [existing] = rowsOf<{ id: string }>(
      await db.query(
        `SELECT "id"::text AS "id" FROM "kwik_jobs"
          WHERE "queue" = $1 AND "dedupKey" = $2 AND "state" IN ('pending', 'running') LIMIT 1`,
        [job.queue, job.dedupKey],
      ),
    );
    if (existing) return { id: existing.id, deduplicated: true };
    throw new Error(
      `kwik_jobs: the job with dedup key "${job.dedupKey}" finished while this one was being enqueued; enqueue again`,
    );
  },

  /**
   * Claims up to `limit` due pending jobs of `queues` for `worker` (by priority, then due time),
   * leasing them for `leaseMs`.
   */
  async claim(
    db: Queryable,
    queues: readonly string[],
    limit: number,
    worker: string,
    leaseMs: number,
  ): Promise<JobRow[]> {
    return rowsOf<JobRow>(
      await db.query(
        `UPDATE "kwik_jobs" j
          SET "state" = 'running', "lockedBy" = $3, "lockedUntil" = now() + $4 * interval '1 millisecond',
              "attempts" = j."attempts" + 1, "startedAt" = now()
        WHERE j."id" IN (
          SELECT "id" FROM "kwik_jobs"
           WHERE "state" = 'pending' AND "queue" = ANY($1) AND "runAt" <= now()
           ORDER BY "priority" DESC, "runAt", "id"
           LIMIT $2 FOR UPDATE SKIP LOCKED)
          AND ${ASYNC_COMMIT}
        RETURNING j."id"::text AS "id", j."queue", j."name", j."payload", j."state", j."priority", j."runAt",
                  j."attempts", j."maxAttempts", j."backoff", j."dedupKey", j."lockedBy", j."lockedUntil",
                  j."lastError", j."result", j."context", j."createdAt", j."startedAt", j."finishedAt"`,
        [queues, limit, worker, leaseMs],
      ),
    );
  },

  /**
   * Puts back the running jobs of `queues` whose lease expired (their worker died or hung) so they
   * are claimed again; returns how many. Their attempt stays counted.
   */
  async reclaimExpired(db: Queryable, queues: readonly string[]): Promise<{ pending: number; dead: number }> {
    const rows = rowsOf<{ id: string; state: string }>(
      await db.query(
        `UPDATE "kwik_jobs"
            SET "state" = CASE WHEN "attempts" >= "maxAttempts" THEN 'dead' ELSE 'pending' END,
                "finishedAt" = CASE WHEN "attempts" >= "maxAttempts" THEN now() ELSE NULL END,
                "lockedBy" = NULL, "lockedUntil" = NULL,
                "lastError" = '{"message":"the lease expired: its worker stopped or hung"}'
          WHERE "id" IN (SELECT "id" FROM "kwik_jobs" WHERE "state" = 'running' AND "lockedUntil" < now()
                          AND "queue" = ANY($1) FOR UPDATE SKIP LOCKED)
            AND ${ASYNC_COMMIT}
          RETURNING "id", "state"`,
        [queues],
      ),
    );
    const dead = rows.filter((r) => r.state === 'dead').length;
    return { pending: rows.length - dead, dead };
  },

  /** Renews the leases of `ids` still held by `worker`. */
  async heartbeat(db: Queryable, ids: readonly string[], worker: string, leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      `UPDATE "kwik_jobs" SET "lockedUntil" = now() + $3 * interval '1 millisecond'
        WHERE "id" = ANY($1::bigint[]) AND "lockedBy" = $2 AND "state" = 'running' AND ${ASYNC_COMMIT}`,
      [ids, worker, leaseMs],
    );
  },

  /** Marks a job done with its result; false when the lease was lost (another worker has it now). */
  async complete(db: Queryable, id: string, worker: string, result: unknown): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await db.query(
        `UPDATE "kwik_jobs" SET "state" = 'completed', "result" = $3, "finishedAt" = now(), "lockedBy" = NULL, "lockedUntil" = NULL
        WHERE "id" = $1 AND "lockedBy" = $2 AND "state" = 'running' AND ${ASYNC_COMMIT} RETURNING "id"`,
        [id, worker, result === undefined ? null : JSON.stringify(result)],
      ),
    );
    return rows.length > 0;
  },

  /**
   * Marks several jobs done in one statement (a worker flushes the jobs that finished meanwhile);
   * returns the ids it marked (the others' leases were lost).
   */
  async completeMany(
    db: Queryable,
    worker: string,
    done: readonly { id: string; result: unknown }[],
  ): Promise<Set<string>> {
    if (done.length === 0) return new Set();
    const rows = rowsOf<{ id: string }>(
      await db.query(
        `UPDATE "kwik_jobs" j SET "state" = 'completed', "result" = d."result", "finishedAt" = now(), "lockedBy" = NULL, "lockedUntil" = NULL
           FROM (SELECT unnest($2::bigint[]) AS "id", unnest($3::jsonb[]) AS "result") d
          WHERE j."id" = d."id" AND j."lockedBy" = $1 AND j."state" = 'running' AND ${ASYNC_COMMIT}
         RETURNING j."id"::text AS "id"`,
        [
          worker,
          done.map((d) => d.id),
          done.map((d) => (d.result === undefined ? null : JSON.stringify(d.result))),
        ],
      ),
    );
    return new Set(rows.map((r) => r.id));
  },

  /**
   * Records a failure: back to pending after `retryInMs`, or dead (a dead letter) when `retryInMs`
   * is null. False when the lease was lost.
   */
  async fail(
    db: Queryable,
    id: string,
    worker: string,
    error: JobRow['lastError'],
    retryInMs: number | null,
  ): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await db.query(
        `UPDATE "kwik_jobs"
          SET "state" = CASE WHEN $4::integer IS NULL THEN 'dead' ELSE 'pending' END,
              "runAt" = CASE WHEN $4::integer IS NULL THEN "runAt" ELSE now() + $4 * interval '1 millisecond' END,
              "finishedAt" = CASE WHEN $4::integer IS NULL THEN now() ELSE NULL END,
              "lastError" = $3, "lockedBy" = NULL, "lockedUntil" = NULL
        WHERE "id" = $1 AND "lockedBy" = $2 AND "state" = 'running' AND ${ASYNC_COMMIT} RETURNING "id"`,
        [id, worker, JSON.stringify(error), retryInMs],
      ),
    );
    return rows.length > 0;
  },

  /** Gives `ids` back to the queue without counting the attempt (a shutdown that could not wait). */
  async release(db: Queryable, ids: readonly string[], worker: string): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      `UPDATE "kwik_jobs" SET "state" = 'pending', "lockedBy" = NULL, "lockedUntil" = NULL, "attempts" = GREATEST("attempts" - 1, 0)
        WHERE "id" = ANY($1::bigint[]) AND "lockedBy" = $2 AND "state" = 'running' AND ${ASYNC_COMMIT}`,
      [ids, worker],
    );
  },

  /** Deletes up to `batch` finished jobs past their retention; returns how many. */
  async cleanup(db: Queryable, keepCompletedMs: number, keepDeadMs: number, batch = 1000): Promise<number> {
    const rows = rowsOf<{ id: string }>(
      await db.query(
        `DELETE FROM "kwik_jobs" WHERE "id" IN (
           SELECT "id" FROM "kwik_jobs"
            WHERE "finishedAt" IS NOT NULL
              AND (("state" IN ('completed', 'cancelled') AND "finishedAt" < now() - $1 * interval '1 millisecond')
                OR ("state" = 'dead' AND "finishedAt" < now() - $2 * interval '1 millisecond'))
            LIMIT $3 FOR UPDATE SKIP LOCKED)
           AND ${ASYNC_COMMIT}
         RETURNING "id"`,
        [keepCompletedMs, keepDeadMs, batch],
      ),
    );
    return rows.length;
  },

  /** One job by id. */
  async get(db: Queryable, id: string): Promise<JobRow | undefined> {
    const rows: JobRow[] = await db.query(
      `SELECT "id"::text AS "id", "queue", "name", "payload", "state", "priority", "runAt", "attempts", "maxAttempts",
              "backoff", "dedupKey", "lockedBy", "lockedUntil", "lastError", "result", "context", "createdAt", "startedAt", "finishedAt"
         FROM "kwik_jobs" WHERE "id" = $1`,
      [id],
    );
    return rows[0];
  },

  /** Dead jobs back to pending with their attempts reset (redrive); returns how many. */
  async redrive(db: Queryable, ids: readonly string[]): Promise<number> {
    const run = async () =>
      rowsOf<{ id: string }>(
        await db.query(
          `UPDATE "kwik_jobs" SET "state" = 'pending', "attempts" = 0, "runAt" = now(), "finishedAt" = NULL
          WHERE "id" IN (
                  SELECT DISTINCT ON ("queue", COALESCE("dedupKey", "id"::text)) "id" FROM "kwik_jobs" d
                   WHERE d."id" = ANY($1::bigint[]) AND d."state" = 'dead'
                     AND NOT EXISTS (SELECT 1 FROM "kwik_jobs" o WHERE o."queue" = d."queue" AND o."dedupKey" = d."dedupKey"
                                      AND o."state" IN ('pending', 'running'))
                   ORDER BY "queue", COALESCE("dedupKey", "id"::text), "id")
          RETURNING "id"`,
          [ids],
        ),
      );
    try {
      return (await run()).length;
    } catch (error) {
      // A concurrent redrive (or enqueue) took one of the keys after this statement's snapshot: the
      // dedup index refused the whole statement. Once more, with a snapshot that sees that job.
      if ((error as { code?: string }).code !== '23505') throw error;
      return (await run()).length;
    }
  },
};
