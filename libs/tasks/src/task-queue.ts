import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import type { JobRow, NewJob } from './postgres/job-store.js';
import { TaskBackend, type EnqueuedJob } from './backend/task-backend.js';
import { TASKS_RESOLVED_OPTIONS } from './tasks.constants.js';
import { TasksError, TasksErrorCode } from './tasks.errors.js';
import { TaskRegistry } from './task-registry.js';
import { resolveBackoff, type ResolvedTasksOptions } from './resolve-options.js';
import type { BackoffOptions } from './tasks-options.interface.js';

/** Options of one enqueue. */
export interface EnqueueOptions {
  /** Run no sooner than this many ms from now. @default 0 */
  delay?: number;
  /** Run no sooner than this instant (wins over `delay`). @default now */
  runAt?: Date;
  /** Higher runs first among due jobs of a queue. @default 0 */
  priority?: number;
  /** Attempts before the job is dead-lettered. @default the task's */
  attempts?: number;
  /** Backoff between attempts. @default the task's */
  backoff?: BackoffOptions;
  /** While a job with this key is pending or running on the queue, enqueuing again returns that job. @default none */
  dedupKey?: string;
  /** The queue. @default the task's */
  queue?: string;
}

export type { EnqueuedJob } from './backend/task-backend.js';

/**
 * Puts jobs on the queue. Inside `TransactionManager.run()` the job is written in that transaction:
 * it becomes visible to workers (and wakes them) only if and when the transaction commits, and
 * vanishes with a rollback. The request context (request id, principal, tenant, API version) is
 * captured and restored around the handler.
 *
 * @example
 * await this.transactions.run(async (manager) => {
 *   const user = await manager.save(User, dto);
 *   await this.tasks.enqueue('mail.welcome', { userId: user.id });
 * });
 */
@Injectable()
export class TaskQueue implements OnModuleInit {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly transactions: TransactionManager,
    private readonly context: RequestContext,
    @Inject(TASKS_RESOLVED_OPTIONS) private readonly options: ResolvedTasksOptions,
    private readonly backend: TaskBackend,
  ) {}

  /** Replaces every `@BackgroundTask()` method (found by the registry) with one that enqueues its call. */
  onModuleInit(): void {
    for (const { instance, method, name, options } of this.registry.background) {
      const { name: _name, ...enqueueOptions } = options;
      Object.defineProperty(instance, method, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => this.enqueue(name, args, enqueueOptions),
      });
    }
  }

  enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    let job: NewJob;
    try {
      job = this.prepare(name, payload, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.backend.enqueue(job, this.transactions.inTransaction ? this.transactions.manager : undefined);
  }

  /** The job to store, validated (throws a {@link TasksError} naming what is wrong). */
  private prepare(name: string, payload: unknown, options: EnqueueOptions): NewJob {
    const task = this.registry.get(name);
    if (!task)
      throw new TasksError(
        TasksErrorCode.UnknownTask,
        `enqueue('${name}'): no @Task('${name}') handler is declared in this app (declared: ${this.registry.all.map((t) => t.name).join(', ') || 'none'})`,
      );
    const bad = (why: string): never => {
      throw new TasksError(TasksErrorCode.InvalidEnqueue, `enqueue('${name}'): ${why}`);
    };
    const delay = options.delay ?? 0;
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0)
      bad('delay must be a number of ms ≥ 0');
    if (
      options.runAt !== undefined &&
      (!(options.runAt instanceof Date) || Number.isNaN(options.runAt.getTime()))
    )
      bad('runAt must be a valid Date');
    const priority = options.priority ?? 0;
    if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000)
      bad('priority must be a whole number within ±1,000,000');
    const attempts = options.attempts ?? task.attempts;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 1000)
      bad('attempts must be a whole number from 1 to 1000');
    if (
      options.dedupKey !== undefined &&
      (typeof options.dedupKey !== 'string' || options.dedupKey.length === 0 || options.dedupKey.length > 500)
    )
      bad('dedupKey must be a non-empty string of at most 500 characters');
    const queue = options.queue ?? task.queue;
    if (queue !== task.queue && !/^[\w.:-]{1,100}$/.test(queue))
      bad(`queue "${queue}" must be 1–100 letters, digits, '.', ':', '_' or '-'`);
    // The PostgreSQL driver stores the text written here; BullMQ writes the payload itself (its
    // JSON errors come back from the driver as the same InvalidEnqueue).
    let payloadJson: string | undefined;
    if (typeof payload === 'function' || typeof payload === 'symbol' || typeof payload === 'bigint')
      bad('the payload must be JSON');
    if (this.options.driver === 'postgres')
      try {
        payloadJson = payload === undefined ? 'null' : JSON.stringify(payload);
        if (payloadJson.replaceAll('\\\\', '').includes('\\u0000'))
          bad('the payload must be JSON that PostgreSQL can store (no NUL character \\u0000)');
      } catch (error) {
        if (error instanceof TasksError) throw error;
        bad(`the payload must be JSON (${(error as Error).message})`);
      }
    const snapshot = this.context.capture();
    // Only what identifies the caller: a principal's permissions and session stay with the request.
    const principal = snapshot.principal
      ? { id: snapshot.principal.id, ...(snapshot.principal.kind ? { kind: snapshot.principal.kind } : {}) }
      : undefined;
    const tenant = snapshot.tenant ? { id: snapshot.tenant.id, slug: snapshot.tenant.slug } : undefined;
    const context = snapshot.requestId
      ? { requestId: snapshot.requestId, principal, tenant, apiVersion: snapshot.apiVersion }
      : null;
    return {
      queue,
      name,
      payload: payload ?? null,
      payloadJson,
      priority,
      runAt: options.runAt ?? null,
      delayMs: Math.round(delay),
      maxAttempts: attempts,
      backoff: resolveBackoff(options.backoff, task.backoff, `enqueue('${name}')`),
      dedupKey: options.dedupKey ?? null,
      context,
    };
  }

  /** A job by id (its state, attempts, last error, result), or undefined. */
  job(id: string): Promise<JobRow | undefined> {
    if (!this.backend.isJobId(id))
      return Promise.reject(
        new TasksError(
          TasksErrorCode.InvalidEnqueue,
          `job('${id}'): a job id of the ${this.options.driver} driver is ${this.backend.jobIdFormat}`,
        ),
      );
    return this.backend.get(id);
  }

  /** Puts dead jobs back on their queue with their attempts reset; returns how many were dead. */
  redrive(ids: readonly string[]): Promise<number> {
    return this.backend.redrive(ids.filter((id) => this.backend.isJobId(id)));
  }

  /** The module's options as resolved (queues, attempts, backoff). */
  get settings(): ResolvedTasksOptions {
    return this.options;
  }
}
