import type { EntityManager } from 'typeorm';
import type { JobRow, NewJob } from '../postgres/job-store.js';
import type { TaskWorkerStats } from '../worker/task-worker.js';

/** What `enqueue()` answers. */
export interface EnqueuedJob {
  readonly id: string;
  /** True when a pending or running job with the same dedup key was returned instead of a new one. */
  readonly deduplicated: boolean;
}

/**
 * Jobs of one queue by state, in the operations API's words (BullMQ's): `waiting` (due, not yet
 * claimed), `active` (running), `delayed` (not due yet, or waiting for a retry), `completed`,
 * `failed` (dead letters: out of attempts or permanently failed), and `cancelled` (the PostgreSQL
 * driver keeps cancelled jobs until their retention ends; BullMQ removes them, so there it is 0).
 */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** The workers of this process, as the operations API shows them. */
export interface WorkerInfo {
  readonly id: string;
  readonly driver: 'postgres' | 'bullmq' | 'fake';
  readonly stats: TaskWorkerStats;
}

/**
 * What the tasks library needs of a driver (PostgreSQL or BullMQ): `TaskQueue`, the cron
 * scheduler and the operations API are written against this, the drivers implement it.
 */
export abstract class TaskBackend {
  /** Whether `@Cron()` schedules fire on their own (a test fake runs them on demand instead). */
  readonly schedulesCron: boolean = true;
  /** Whether this driver's jobs are worked by `TaskWorker` (the PostgreSQL driver's worker). */
  readonly usesTaskWorker: boolean = false;
  /** Puts a job on its queue; inside a transaction (`tx`), visible only once that commits. */
  abstract enqueue(job: NewJob, tx: EntityManager | undefined): Promise<EnqueuedJob>;
  /** Whether `id` looks like one of this driver's job ids (a bad one is a 400, not a lookup). */
  abstract isJobId(id: string): boolean;
  /** What a job id looks like, for messages. */
  abstract readonly jobIdFormat: string;
  /** A job by id, or undefined. */
  abstract get(id: string): Promise<JobRow | undefined>;
  /** Puts dead jobs back on their queue with attempts reset; returns how many it put back. */
  abstract redrive(ids: readonly string[]): Promise<number>;
  /** Cancels a pending or delayed job; false when it is not one (running, finished, unknown). */
  abstract cancel(id: string): Promise<boolean>;
  /**
   * Counts by queue: every queue this process knows of, and (PostgreSQL) every queue holding jobs.
   * With `tenantId`, only that tenant's jobs where the driver can count them so (`tenantScoped`).
   */
  abstract counts(tenantId?: string): Promise<{ name: string; counts: QueueCounts }[]>;
  /** Whether {@link counts} can count one tenant's jobs (BullMQ counts whole queues). */
  readonly countsByTenant: boolean = true;
  /** The latest dead jobs and failed attempts waiting for a retry, newest first; with `tenantId`, that tenant's. */
  abstract failures(limit: number, tenantId?: string): Promise<JobRow[]>;
  /** This process's workers. */
  abstract readonly worker: WorkerInfo;
}

/** The tenant a job was enqueued for (from its stored context), if any. */
export function tenantOf(job: Pick<JobRow, 'context'>): string | undefined {
  const tenant = (job.context as { tenant?: { id?: unknown } } | null)?.tenant;
  return typeof tenant?.id === 'string' ? tenant.id : undefined;
}

/** Empty counts. */
export function noCounts(): QueueCounts {
  return { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0, cancelled: 0 };
}
