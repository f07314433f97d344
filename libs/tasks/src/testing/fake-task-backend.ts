import type { INestApplicationContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import type { EntityManager } from 'typeorm';
import { TransactionManager } from '@kwik/database';
import {
  TaskBackend,
  noCounts,
  tenantOf,
  type EnqueuedJob,
  type QueueCounts,
  type WorkerInfo,
} from '../backend/task-backend.js';
import type { JobRow, NewJob } from '../postgres/job-store.js';
import { JobRunner, PermanentFailure } from '../worker/job-runner.js';
import { noStats, type TaskWorkerStats } from '../worker/task-worker.js';

/** How many rounds {@link FakeTaskBackend.runNow} goes when jobs enqueue more jobs. */
const MAX_ROUNDS = 100;

/** What to match jobs on: a task name, and optionally a payload (deep-equal) or a predicate. */
export type FakeJobMatch = string | { name: string; payload?: unknown; where?: (job: JobRow) => boolean };

/**
 * A queue for tests (Laravel's `Queue::fake()`): jobs are kept in memory instead of a database or
 * Redis, nothing runs until the test says so, and the test asserts on what was enqueued. Everything
 * in front of the driver stays real: `TaskQueue.enqueue()` validates as in production (unknown task,
 * bad options, non-JSON payload), a job enqueued in a transaction appears only if it commits, dedup
 * keys hold while a job is pending, and {@link runNow} runs handlers the way workers do (payload
 * validated against the task's DTO, the enqueuer's context restored with the job id).
 *
 * @example
 * const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(TaskBackend).useClass(FakeTaskBackend)
 *   .compile();
 * const app = await moduleRef.createNestApplication().init();
 * const tasks = FakeTaskBackend.of(app);
 * await request(app.getHttpServer()).post('/api/auth/register').send(newUser);
 * tasks.expectEnqueued({ name: 'mail.welcome', where: (j) => j.dedupKey !== null });
 * await tasks.runNow('mail.welcome');
 * expect(tasks.jobs('mail.welcome')[0]!.state).toBe('completed');
 */
@Injectable()
export class FakeTaskBackend extends TaskBackend {
  readonly jobIdFormat = 'fake-<number>';
  override readonly schedulesCron = false;
  private readonly all: JobRow[] = [];
  /** Jobs of transactions not committed yet, per transaction (a rolled-back one is simply forgotten). */
  private readonly uncommitted = new WeakMap<EntityManager, JobRow[]>();
  private sequence = 0;
  private readonly stats: TaskWorkerStats = noStats();

  constructor(
    private readonly runner: JobRunner,
    private readonly transactions: TransactionManager,
  ) {
    super();
  }

  /** The fake of a booted app (throws when `TaskBackend` was not overridden with it). */
  static of(app: Pick<INestApplicationContext, 'get'>): FakeTaskBackend {
    const backend = app.get(TaskBackend);
    if (!(backend instanceof FakeTaskBackend))
      throw new Error(
        'FakeTaskBackend.of(app): this app runs a real tasks driver. Override it when you build the test module: .overrideProvider(TaskBackend).useClass(FakeTaskBackend)',
      );
    return backend;
  }

  enqueue(job: NewJob, tx: EntityManager | undefined): Promise<EnqueuedJob> {
    if (job.dedupKey !== null) {
      // Committed jobs, and this transaction's own (another transaction's are not visible yet).
      const mine = tx ? (this.uncommitted.get(tx) ?? []) : [];
      const live = [...this.all, ...mine].find(
        (j) => j.queue === job.queue && j.dedupKey === job.dedupKey && j.state === 'pending',
      );
      if (live) return Promise.resolve({ id: live.id, deduplicated: true });
    }
    const now = Date.now();
    const row: JobRow = {
      id: `fake-${++this.sequence}`,
      queue: job.queue,
      name: job.name,
      // A copy through JSON, as a real driver stores it: later changes to the object do not leak in.
      payload: JSON.parse(job.payloadJson ?? JSON.stringify(job.payload ?? null)) as unknown,
      state: 'pending',
      priority: job.priority,
      runAt: job.runAt ?? new Date(now + job.delayMs),
      attempts: 0,
      maxAttempts: job.maxAttempts,
      backoff: job.backoff,
      dedupKey: job.dedupKey,
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      result: null,
      context: job.context,
      createdAt: new Date(now),
      startedAt: null,
      finishedAt: null,
    };
    // Enqueued in a transaction: there once it commits, never if it rolls back.
    if (tx) {
      const mine = this.uncommitted.get(tx) ?? [];
      if (mine.length === 0) this.uncommitted.set(tx, mine);
      mine.push(row);
      this.transactions.afterCommit(() => void this.all.push(row));
    } else this.all.push(row);
    return Promise.resolve({ id: row.id, deduplicated: false });
  }

  isJobId(id: string): boolean {
    return /^fake-\d+$/.test(id);
  }

  get(id: string): Promise<JobRow | undefined> {
    return Promise.resolve(this.all.find((j) => j.id === id));
  }

  redrive(ids: readonly string[]): Promise<number> {
    let n = 0;
    for (const job of this.all)
      if (ids.includes(job.id) && job.state === 'dead') {
        Object.assign(job, { state: 'pending', attempts: 0, finishedAt: null });
        n++;
      }
    return Promise.resolve(n);
  }

  cancel(id: string): Promise<boolean> {
    const job = this.all.find((j) => j.id === id && j.state === 'pending');
    if (job) Object.assign(job, { state: 'cancelled', finishedAt: new Date() });
    return Promise.resolve(job !== undefined);
  }

  counts(tenantId?: string): Promise<{ name: string; counts: QueueCounts }[]> {
    const queues = new Map<string, QueueCounts>();
    for (const job of this.all) {
      if (tenantId !== undefined && tenantOf(job) !== tenantId) continue;
      let counts = queues.get(job.queue);
      if (!counts) queues.set(job.queue, (counts = noCounts()));
      const key: keyof QueueCounts =
        job.state === 'pending'
          ? 'waiting'
          : job.state === 'running'
            ? 'active'
            : job.state === 'dead'
              ? 'failed'
              : job.state;
      counts[key]++;
    }
    return Promise.resolve([...queues].map(([name, counts]) => ({ name, counts })));
  }

  failures(limit: number): Promise<JobRow[]> {
    return Promise.resolve(
      this.all
        .filter((j) => j.state === 'dead')
        .slice(-limit)
        .reverse(),
    );
  }

  get worker(): WorkerInfo {
    return { id: 'fake', driver: 'fake', stats: { ...this.stats } };
  }

  // ---- for tests ----

  /** Every job enqueued (and committed) so far, oldest first; only those matching `match` when given. */
  jobs(match?: FakeJobMatch): JobRow[] {
    return match === undefined ? [...this.all] : this.all.filter((j) => matches(j, match));
  }

  /** Throws, listing what was enqueued, unless a job matches (`times`: exactly that many). */
  expectEnqueued(match: FakeJobMatch, times?: number): JobRow[] {
    const found = this.jobs(match);
    if (times === undefined ? found.length === 0 : found.length !== times)
      throw new Error(
        `Expected ${times === undefined ? 'a job' : `${times} job(s)`} matching ${describe(match)} to be enqueued, found ${found.length}. Enqueued: ${this.summary()}`,
      );
    return found;
  }

  /** Throws, listing what was enqueued, if any job (or any matching `match`) was enqueued. */
  expectNothingEnqueued(match?: FakeJobMatch): void {
    const found = this.jobs(match);
    if (found.length > 0)
      throw new Error(
        `Expected no job${match === undefined ? '' : ` matching ${describe(match)}`} to be enqueued, found ${found.length}. Enqueued: ${this.summary()}`,
      );
  }

  /**
   * Runs the pending jobs (only those matching `match`, when given) one at a time in enqueue order,
   * as a worker would, then the jobs those enqueued, and so on (at most 100 rounds). A job that throws
   * is dead at once (no retries in the fake), with `lastError` set. Resolves with the jobs it ran.
   */
  async runNow(match?: FakeJobMatch): Promise<JobRow[]> {
    const ran: JobRow[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const due = this.all.filter((j) => j.state === 'pending' && (match === undefined || matches(j, match)));
      if (due.length === 0) return ran;
      for (const job of due) {
        await this.run(job);
        ran.push(job);
      }
    }
    throw new Error(
      `FakeTaskBackend.runNow(): jobs kept enqueuing jobs for ${MAX_ROUNDS} rounds; is a handler enqueuing itself?`,
    );
  }

  /** Forgets every job (between tests). */
  clear(): void {
    this.all.length = 0;
  }

  private async run(job: JobRow): Promise<void> {
    Object.assign(job, { state: 'running', attempts: job.attempts + 1, startedAt: new Date() });
    this.stats.claimed++;
    try {
      const result = await this.runner.run(job);
      Object.assign(job, { state: 'completed', result: result ?? null, finishedAt: new Date() });
      this.stats.completed++;
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      Object.assign(job, {
        state: 'dead',
        lastError: {
          message: e.message,
          name: e.name,
          ...(e instanceof PermanentFailure ? { permanent: true } : {}),
        },
        finishedAt: new Date(),
      });
      this.stats.dead++;
    }
  }

  private summary(): string {
    if (this.all.length === 0) return 'nothing';
    return this.all.map((j) => `${j.name} ${JSON.stringify(j.payload)} (${j.state})`).join('; ');
  }
}

function matches(job: JobRow, match: FakeJobMatch): boolean {
  if (typeof match === 'string') return job.name === match;
  if (job.name !== match.name) return false;
  if ('payload' in match && !isDeepStrictEqual(job.payload, match.payload)) return false;
  return match.where ? match.where(job) : true;
}

function describe(match: FakeJobMatch): string {
  if (typeof match === 'string') return `"${match}"`;
  return `"${match.name}"${'payload' in match ? ` with payload ${JSON.stringify(match.payload)}` : ''}${match.where ? ' (and the predicate)' : ''}`;
}
