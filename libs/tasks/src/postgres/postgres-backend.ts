import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  TaskBackend,
  noCounts,
  type EnqueuedJob,
  type QueueCounts,
  type WorkerInfo,
} from '../backend/task-backend.js';
import { DatabaseSessionScope, TransactionManager } from '@kwik/database';
import { TaskWorker } from '../worker/task-worker.js';
import { JobStore, poolQueryable, rowsOf, type JobRow, type NewJob, type Queryable } from './job-store.js';

const JOB_ID = /^[1-9]\d{0,17}$/;

/** The PostgreSQL driver: jobs in `kwik_jobs`, worked by {@link TaskWorker}. */
@Injectable()
export class PostgresTaskBackend extends TaskBackend {
  /** Enqueues outside a transaction: in the caller's database session (a tenant's role). */
  private readonly direct: Queryable;
  /** Everything else (lookups, redrive, cancel, counts): as the connecting user, across tenants. */
  private readonly system: Queryable;
  readonly jobIdFormat = 'a positive whole number';
  override readonly usesTaskWorker = true;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly taskWorker: TaskWorker,
    private readonly transactions: TransactionManager,
    sessionScope: DatabaseSessionScope,
  ) {
    super();
    this.direct = poolQueryable(dataSource);
    this.system = poolQueryable(dataSource, sessionScope);
  }

  async enqueue(job: NewJob, tx: EntityManager | undefined): Promise<EnqueuedJob> {
    const enqueued = await JobStore.enqueue(tx ?? this.direct, job);
    // Without LISTEN (embedded PGlite) this process's workers learn of the job when it commits.
    if (this.taskWorker.embedded) this.transactions.afterCommit(() => this.taskWorker.wake(job.queue));
    return enqueued;
  }

  isJobId(id: string): boolean {
    return JOB_ID.test(id);
  }

  get(id: string): Promise<JobRow | undefined> {
    // Inside a transaction: on it (it sees its own enqueues; embedded PGlite has no other connection).
    return JobStore.get(this.transactions.inTransaction ? this.transactions.manager : this.system, id);
  }

  redrive(ids: readonly string[]): Promise<number> {
    return JobStore.redrive(this.system, ids);
  }

  async cancel(id: string): Promise<boolean> {
    const rows = rowsOf(
      await this.system.query(
        `UPDATE "kwik_jobs" SET "state" = 'cancelled', "finishedAt" = now() WHERE "id" = $1 AND "state" = 'pending' RETURNING "id"`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  async counts(tenantId?: string): Promise<{ name: string; counts: QueueCounts }[]> {
    const rows = (await this.system.query(
      `SELECT "queue", "state", ("state" = 'pending' AND "runAt" > now()) AS "delayed", count(*)::int AS "n"
         FROM "kwik_jobs" WHERE $1::text IS NULL OR "context"->'tenant'->>'id' = $1 GROUP BY 1, 2, 3`,
      [tenantId ?? null],
    )) as { queue: string; state: JobRow['state']; delayed: boolean; n: number }[];
    const queues = new Map<string, QueueCounts>(this.taskWorker.queueNames.map((q) => [q, noCounts()]));
    for (const r of rows) {
      let counts = queues.get(r.queue);
      if (!counts) queues.set(r.queue, (counts = noCounts()));
      counts[r.delayed ? 'delayed' : STATE_COUNT[r.state]] += r.n;
    }
    return [...queues].sort(([a], [b]) => a.localeCompare(b)).map(([name, counts]) => ({ name, counts }));
  }

  failures(limit: number, tenantId?: string): Promise<JobRow[]> {
    return this.system.query(
      `SELECT "id"::text AS "id", "queue", "name", "state", "attempts", "maxAttempts", "lastError", "runAt", "createdAt", "finishedAt"
         FROM "kwik_jobs" WHERE "lastError" IS NOT NULL AND "state" IN ('dead', 'pending')
          AND ($2::text IS NULL OR "context"->'tenant'->>'id' = $2)
        ORDER BY COALESCE("finishedAt", "runAt") DESC LIMIT $1`,
      [limit, tenantId ?? null],
    ) as Promise<JobRow[]>;
  }

  get worker(): WorkerInfo {
    return { id: this.taskWorker.id, driver: 'postgres', stats: { ...this.taskWorker.stats } };
  }
}

/** A stored state → its count in the operations API (pending jobs not yet due count as delayed). */
const STATE_COUNT: Record<JobRow['state'], keyof QueueCounts> = {
  pending: 'waiting',
  running: 'active',
  completed: 'completed',
  dead: 'failed',
  cancelled: 'cancelled',
};
