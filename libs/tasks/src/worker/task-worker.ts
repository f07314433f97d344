import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  DATABASE_RESOLVED_OPTIONS,
  DatabaseSessionScope,
  type ResolvedDatabaseOptions,
} from '@kwik/database';
import { backoffDelay, DEFAULT_BACKOFF } from '../backoff.js';
import { JobStore, poolQueryable, type JobRow, type Queryable } from '../postgres/job-store.js';
import type { ResolvedTasksOptions } from '../resolve-options.js';
import { TASKS_CHANNEL, TASKS_RESOLVED_OPTIONS } from '../tasks.constants.js';
import { TasksError, TasksErrorCode } from '../tasks.errors.js';
import { TaskRegistry } from '../task-registry.js';
import { JobRunner, PermanentFailure } from './job-runner.js';
import { TaskBackend } from '../backend/task-backend.js';

interface ListenClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', fn: (m: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  release(destroy?: boolean | Error): void;
}

/** Counts of what this process's workers did since it started. */
export interface TaskWorkerStats {
  claimed: number;
  completed: number;
  retried: number;
  dead: number;
  reclaimed: number;
  /** Finished jobs deleted after their retention. */
  deleted: number;
}

/** Counters all at zero (each driver's workers start from these). */
export function noStats(): TaskWorkerStats {
  return { claimed: 0, completed: 0, retried: 0, dead: 0, reclaimed: 0, deleted: 0 };
}

/**
 * Works the configured queues in this process: claims due jobs in batches (`FOR UPDATE SKIP
 * LOCKED`), woken by `LISTEN kwik_jobs` (a slow poll as a fallback, and for delayed jobs), runs
 * each handler with its payload validated and the enqueuer's request context restored, renews the
 * leases of running jobs, retries failures with backoff, dead-letters jobs out of attempts, and puts
 * back jobs whose worker died (lease expired). On shutdown it stops claiming, lets running jobs
 * finish up to `shutdownTimeoutMs`, and releases the leases of the rest.
 */
@Injectable()
export class TaskWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KwikTasks');
  /** This worker's id in `lockedBy`: host, pid and a random part. */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly running = new Map<string, { queue: string; done: Promise<void> }>();
  private readonly busy = new Map<string, number>();
  private readonly claiming = new Set<string>();
  private readonly again = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private listener: ListenClient | undefined;
  /** Releases the current LISTEN connection (once). */
  private dropListener: (() => void) | undefined;
  private stopping = false;
  private started = false;
  readonly stats: TaskWorkerStats = noStats();

  constructor(
    @Inject(TASKS_RESOLVED_OPTIONS) private readonly options: ResolvedTasksOptions,
    private readonly registry: TaskRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: JobRunner,
    sessionScope: DatabaseSessionScope,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(DATABASE_RESOLVED_OPTIONS) database?: ResolvedDatabaseOptions,
  ) {
    this.db = poolQueryable(dataSource, sessionScope);
    this.embedded = database?.mode === 'embedded';
  }

  /**
   * On embedded PGlite (one connection) there is no LISTEN: it would hold the only connection. Jobs
   * enqueued by this process wake its workers directly ({@link wake}); the poll covers the rest.
   */
  readonly embedded: boolean;

  /** Claims due jobs of `queue` now, if this process works it (a local enqueue committed). */
  wake(queue: string): void {
    if (this.started && !this.stopping && this.options.queues.has(queue)) this.tick(queue);
  }

  /** The worker's statements go straight to the pool as the connecting user (never inside a request's transaction or tenant role). */
  private readonly db: Queryable;

  private get queues(): string[] {
    return [...this.options.queues.keys()];
  }

  /** The queues this process's options configure. */
  get queueNames(): string[] {
    return this.queues;
  }

  async onApplicationBootstrap(): Promise<void> {
    // The bullmq driver (and a test fake) runs no TaskWorker.
    if (!this.moduleRef.get(TaskBackend, { strict: false }).usesTaskWorker) return;
    const [row] = (await this.dataSource.query(
      `SELECT to_regclass('kwik_jobs') IS NOT NULL AS "exists"`,
    )) as { exists: boolean }[];
    if (!row?.exists)
      throw new TasksError(
        TasksErrorCode.SchemaMissing,
        'The kwik_jobs table does not exist: add TASKS_MIGRATIONS (TasksSchema1796000000000, TasksOutbox1796100000000, from @kwik/tasks) to your migrations and run them.',
      );
    if (!this.options.worker) return;
    for (const task of this.registry.all)
      if (!this.options.queues.has(task.queue))
        this.logger.warn(
          `Task "${task.name}" goes to queue "${task.queue}", which this process does not work (queues: ${this.queues.join(', ')}): another process must, or its jobs wait`,
        );
    this.started = true;
    await this.listen();
    this.timers.push(
      setInterval(() => this.poll(), this.options.pollIntervalMs).unref(),
      setInterval(() => void this.heartbeat(), this.options.heartbeatMs).unref(),
      setInterval(() => void this.cleanup(), this.options.cleanupIntervalMs).unref(),
    );
    this.poll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    // The heartbeat keeps the draining jobs' leases; the rest stops now.
    const [poll, heartbeat, cleanup] = this.timers;
    clearInterval(poll);
    clearInterval(cleanup);
    this.timers = [];
    this.dropListener?.();
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((resolve) => (timer = setTimeout(resolve, this.options.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    clearInterval(heartbeat);
    const left = [...this.running.keys()];
    if (left.length > 0) {
      this.logger.warn(
        `Shutdown: ${left.length} job(s) still running after ${this.options.shutdownTimeoutMs} ms; their leases are released (they will run again)`,
      );
      await JobStore.release(this.db, left, this.id).catch((error: unknown) =>
        this.logger.error(`Could not release leases on shutdown: ${String(error)}`),
      );
    }
  }

  /** One LISTEN connection; lost (the database restarted), it is opened again with backoff. */
  private async listen(attempt = 1): Promise<void> {
    if (this.embedded) return; // PGlite's single connection: local wake-ups and the poll
    const pool = (this.dataSource.driver as { master?: { connect?: () => Promise<ListenClient> } }).master;
    if (typeof pool?.connect !== 'function') return;
    let client: ListenClient | undefined;
    let released = false;
    // Every path gives the connection back exactly once (a leaked one would hold the pool's end forever).
    const drop = () => {
      if (released || !client) return;
      released = true;
      if (this.listener === client) this.listener = undefined;
      client.release(true);
    };
    try {
      client = await pool.connect();
      this.dropListener = drop;
      client.on('notification', (m) => {
        if (m.channel === TASKS_CHANNEL && m.payload && this.options.queues.has(m.payload))
          this.tick(m.payload);
      });
      client.on('error', (error) => {
        drop();
        if (this.stopping) return;
        this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`);
        void this.listen();
      });
      await client.query(`LISTEN ${TASKS_CHANNEL}`);
      if (this.stopping) return drop();
      this.listener = client;
      if (attempt > 1) this.poll(); // catch up on what was enqueued meanwhile
    } catch (error) {
      drop();
      if (this.stopping) return;
      const wait = backoffDelay(attempt, { ...DEFAULT_BACKOFF, delayMs: 500, maxDelayMs: 30_000 });
      this.logger.warn(`LISTEN failed (${String(error)}); retrying in ${wait} ms, polling meanwhile`);
      setTimeout(() => void this.listen(attempt + 1), wait).unref();
    }
  }

  private poll(): void {
    if (this.stopping) return;
    JobStore.reclaimExpired(this.db, this.queues).then(
      ({ pending, dead }) => {
        if (pending > 0) {
          this.stats.reclaimed += pending;
          this.logger.warn(`${pending} job(s) whose worker stopped were put back on their queue`);
        }
        if (dead > 0) {
          this.stats.dead += dead;
          this.logger.error(
            `${dead} job(s) whose worker stopped on their last attempt are dead (lease expired)`,
          );
        }
      },
      (error: unknown) => this.logger.warn(`Reclaiming expired leases failed: ${String(error)}`),
    );
    for (const queue of this.queues) this.tick(queue);
  }

  /** Claims as many jobs of `queue` as there are free slots, and runs them. */
  private tick(queue: string): void {
    if (this.stopping) return;
    if (this.claiming.has(queue)) {
      this.again.add(queue);
      return;
    }
    const free = this.options.queues.get(queue)!.concurrency - (this.busy.get(queue) ?? 0);
    if (free <= 0) return;
    this.claiming.add(queue);
    JobStore.claim(this.db, [queue], free, this.id, this.options.leaseMs)
      .then(
        (jobs) => {
          this.stats.claimed += jobs.length;
          for (const job of jobs) this.start(job);
          // A full batch: there may be more.
          if (jobs.length === free) this.again.add(queue);
        },
        (error: unknown) => {
          if (!this.stopping) this.logger.warn(`Claiming jobs of "${queue}" failed: ${String(error)}`);
        },
      )
      .finally(() => {
        this.claiming.delete(queue);
        if (this.again.delete(queue)) this.tick(queue);
      });
  }

  private start(job: JobRow): void {
    this.busy.set(job.queue, (this.busy.get(job.queue) ?? 0) + 1);
    const done = this.execute(job).finally(() => {
      this.running.delete(job.id);
      this.busy.set(job.queue, (this.busy.get(job.queue) ?? 1) - 1);
      this.tick(job.queue);
    });
    this.running.set(job.id, { queue: job.queue, done });
  }

  private async execute(job: JobRow): Promise<void> {
    let result: unknown;
    try {
      result = await this.runner.run(job);
    } catch (error) {
      await this.failed(job, error);
      return;
    }
    await this.completed(job, result);
  }

  /**
   * Marks a job done. Jobs finishing while a flush is in flight are marked together by the next
   * one (one statement for many jobs), so a busy worker writes far fewer statements than jobs.
   */
  private completed(job: JobRow, result: unknown): Promise<void> {
    return new Promise((resolve) => {
      this.pendingDone.push({ job, result, resolve });
      if (!this.flushing) void this.flushDone();
    });
  }

  private readonly pendingDone: { job: JobRow; result: unknown; resolve: () => void }[] = [];
  private flushing = false;

  private async flushDone(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pendingDone.length > 0) {
        const batch = this.pendingDone.splice(0, 500);
        try {
          const marked = await JobStore.completeMany(
            this.db,
            this.id,
            batch.map((b) => ({ id: b.job.id, result: b.result })),
          );
          for (const { job } of batch) {
            if (marked.has(job.id)) this.stats.completed++;
            else
              this.logger.warn(
                `Job ${job.id} (${job.name}) finished after its lease was lost; another worker may run it again`,
              );
          }
        } catch (error) {
          const message = `${batch.length} job(s) finished but could not be marked completed: ${String(error)}`;
          // After a shutdown released their leases, the jobs run again elsewhere: expected, not an error.
          if (this.stopping) this.logger.warn(message);
          else this.logger.error(message);
        }
        for (const { resolve } of batch) resolve();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async failed(job: JobRow, error: unknown): Promise<void> {
    const permanent = error instanceof PermanentFailure;
    const e = error instanceof Error ? error : new Error(String(error));
    const lastError = { message: e.message, name: e.name, ...(permanent ? { permanent: true } : {}) };
    const retry = !permanent && job.attempts < job.maxAttempts;
    const wait = retry ? backoffDelay(job.attempts, job.backoff ?? this.options.backoff) : null;
    try {
      if (!(await JobStore.fail(this.db, job.id, this.id, lastError, wait))) return;
    } catch (storeError) {
      this.logger.error(`Job ${job.id} (${job.name}) failed and could not be marked: ${String(storeError)}`);
      return;
    }
    if (retry) {
      this.stats.retried++;
      this.logger.warn(
        `Job ${job.id} (${job.name}) failed (attempt ${job.attempts}/${job.maxAttempts}): ${e.message}; retrying in ${wait} ms`,
      );
    } else {
      this.stats.dead++;
      this.logger.error(
        `Job ${job.id} (${job.name}) is dead after ${job.attempts} attempt(s)${permanent ? ' (not retried)' : ''}: ${e.message}`,
      );
    }
  }

  /** Deletes finished jobs past their retention (a batch per interval). */
  async cleanup(): Promise<number> {
    if (this.stopping) return 0;
    try {
      const n = await JobStore.cleanup(this.db, this.options.keepCompletedMs, this.options.keepDeadMs);
      this.stats.deleted += n;
      return n;
    } catch (error) {
      this.logger.warn(`Deleting expired finished jobs failed: ${String(error)}`);
      return 0;
    }
  }

  /** Renews the leases of this process's running jobs (also while a shutdown drains them). */
  private async heartbeat(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    await JobStore.heartbeat(this.db, ids, this.id, this.options.leaseMs).catch((error: unknown) =>
      this.logger.warn(`Renewing leases failed: ${String(error)}`),
    );
  }
}
