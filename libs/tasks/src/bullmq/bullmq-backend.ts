import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, JobsOptions, MinimalJob, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseSessionScope, TransactionManager } from '@kwik/database';
import { backoffDelay, type ResolvedBackoff } from '../backoff.js';
import {
  TaskBackend,
  noCounts,
  tenantOf,
  type EnqueuedJob,
  type QueueCounts,
  type WorkerInfo,
} from '../backend/task-backend.js';
import { rowsOf, type JobRow, type NewJob } from '../postgres/job-store.js';
import type { ResolvedTasksOptions } from '../resolve-options.js';
import { TASKS_RESOLVED_OPTIONS } from '../tasks.constants.js';
import { TasksError, TasksErrorCode } from '../tasks.errors.js';
import { TaskRegistry } from '../task-registry.js';
import { JobRunner, PermanentFailure } from '../worker/job-runner.js';
import { noStats, type TaskWorkerStats } from '../worker/task-worker.js';

type Bullmq = typeof import('bullmq');

/**
 * What a Kwik job carries in BullMQ's `data`: the payload, and only when there is one the
 * enqueuer's context and a backoff other than its task's (smaller jobs: less to write and read).
 */
interface KwikJobData {
  payload: unknown;
  context?: Record<string, unknown>;
  backoff?: ResolvedBackoff;
}

/** An outbox row: the job's queue, name, data and options, its due time in epoch ms. */
interface OutboxRow {
  id: string;
  queue: string;
  name: string;
  data: KwikJobData;
  options: JobsOptions & { runAtMs: number };
  createdAt: Date;
}

/** Every job retries through the workers' custom strategy (Kwik's backoff, read from the task or the job). */
const KWIK_BACKOFF = { type: 'kwik' } as const;

/** Ids this driver issues: 24 hex digits, or `o<outbox id>` for a job enqueued in a transaction. */
const JOB_ID = /^(?:[0-9a-f]{24}|o[1-9]\d{0,17})$/;
/** Outbox rows relayed per round trip. */
const RELAY_BATCH = 500;
/** How long the boot waits for Redis to answer. */
const CONNECT_TIMEOUT_MS = 10_000;

/** BullMQ's state of a job → the stored state Kwik reports (`failed` is dead: out of attempts). */
const STATES: Record<string, JobRow['state']> = {
  waiting: 'pending',
  prioritized: 'pending',
  'waiting-children': 'pending',
  delayed: 'pending',
  active: 'running',
  completed: 'completed',
  failed: 'dead',
};

/**
 * The BullMQ driver: each queue is a BullMQ `Queue` on Redis, worked by BullMQ `Worker`s running
 * the same `@Task()` handlers (payload validation, context restored, `UnrecoverableError` for a
 * permanent failure, Kwik's backoff with jitter as a custom backoff strategy, retention as the
 * workers' `removeOnComplete` / `removeOnFail` ages). Enqueues inside a database transaction go to the
 * `kwik_task_outbox` table and are relayed to Redis after COMMIT, with the outbox id as the BullMQ
 * job id, so a relay repeated after a crash adds nothing twice.
 */
@Injectable()
export class BullmqTaskBackend
  extends TaskBackend
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('KwikTasks');
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Job ids: 12 random hex digits of this process, then a 12-digit counter (unique without a syscall per job). */
  private readonly idPrefix = randomBytes(6).toString('hex');
  private idCounter = 0;
  readonly jobIdFormat = '24 hex digits, or o<number> for a job enqueued inside a transaction';
  override readonly countsByTenant = false;
  private readonly stats: TaskWorkerStats = noStats();
  private ready: Promise<{ bull: Bullmq; connection: Redis; workerConnection: Redis }> | undefined;
  private readonly queues = new Map<string, Queue>();
  private workers: Worker[] = [];
  private relayTimer: NodeJS.Timeout | undefined;
  private relaying: Promise<void> | undefined;
  private relayAgain = false;
  private stopping = false;
  private booted = false;
  private closed = false;

  constructor(
    @Inject(TASKS_RESOLVED_OPTIONS) private readonly options: ResolvedTasksOptions,
    private readonly registry: TaskRegistry,
    private readonly runner: JobRunner,
    private readonly transactions: TransactionManager,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessionScope: DatabaseSessionScope,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  /** This driver is the app's (chosen, and not replaced by a test fake). */
  private get active(): boolean {
    // Looked up once: which driver is the app's does not change.
    this.chosen ??=
      this.options.driver === 'bullmq' && this.moduleRef.get(TaskBackend, { strict: false }) === this;
    return this.chosen;
  }

  private chosen: boolean | undefined;

  // The hooks run once each even when Nest calls them twice (this instance is also `TaskBackend`).
  async onApplicationBootstrap(): Promise<void> {
    if (!this.active || this.booted) return;
    this.booted = true;
    const { connection } = await this.connect();
    const [row] = (await this.dataSource.query(
      `SELECT to_regclass('kwik_task_outbox') IS NOT NULL AS "outbox", to_regclass('kwik_cron_ticks') IS NOT NULL AS "ticks"`,
    )) as { outbox: boolean; ticks: boolean }[];
    if (!row?.outbox || !row.ticks)
      throw new TasksError(
        TasksErrorCode.SchemaMissing,
        `The bullmq driver needs the ${!row?.ticks ? 'kwik_cron_ticks and kwik_task_outbox tables' : 'kwik_task_outbox table'}: add TASKS_MIGRATIONS (TasksSchema1796000000000, TasksOutbox1796100000000, from @kwik/tasks) to your migrations and run them.`,
      );
    await connection.ping();
    this.relayTimer = setInterval(() => void this.relay(), this.options.pollIntervalMs).unref();
    void this.relay();
    if (!this.options.worker) return;
    for (const task of this.registry.all)
      if (!this.options.queues.has(task.queue))
        this.logger.warn(
          `Task "${task.name}" goes to queue "${task.queue}", which this process does not work (queues: ${[...this.options.queues.keys()].join(', ')}): another process must, or its jobs wait`,
        );
    await this.startWorkers();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.active || !this.ready || this.stopping) return;
    this.stopping = true;
    clearInterval(this.relayTimer);
    const workers = this.workers;
    this.workers = [];
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(workers.map((w) => w.close())).then(() => true),
      new Promise<false>(
        (resolve) => (timer = setTimeout(() => resolve(false), this.options.shutdownTimeoutMs)),
      ),
    ]);
    clearTimeout(timer);
    if (!drained) {
      this.logger.warn(
        `Shutdown: jobs still running after ${this.options.shutdownTimeoutMs} ms; their locks are left to expire and BullMQ's stalled-job check runs them again`,
      );
      await Promise.all(workers.map((w) => w.close(true))).catch(() => undefined);
    }
    await this.relaying?.catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.ready || this.closed) return;
    this.closed = true;
    const { connection, workerConnection } = await this.ready.catch(() => ({}) as never);
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    for (const redis of [connection, workerConnection]) if (redis) redis.disconnect();
  }

  /** Loads bullmq and ioredis (optional peers) and connects, once. */
  private connect(): Promise<{ bull: Bullmq; connection: Redis; workerConnection: Redis }> {
    this.ready ??= (async () => {
      let bull: Bullmq;
      let IORedis: typeof import('ioredis').Redis;
      try {
        bull = await import('bullmq');
        IORedis = (await import('ioredis')).Redis;
      } catch (error) {
        throw new TasksError(
          TasksErrorCode.InvalidOptions,
          `driver 'bullmq' needs the bullmq and ioredis packages: npm install bullmq ioredis (${(error as Error).message})`,
        );
      }
      const redis = this.options.redis!;
      // Named `<prefix>:kwik-tasks` in CLIENT LIST (BullMQ names its blocking connections `<prefix>:<queue>`).
      const base = { lazyConnect: true, connectionName: `${this.options.prefix}:kwik-tasks` };
      const make = (extra: Record<string, unknown>): Redis =>
        typeof redis === 'string'
          ? new IORedis(redis, { ...base, ...extra })
          : new IORedis({ ...redis, ...base, ...extra });
      // Enqueues fail fast while Redis is away; workers' blocking reads wait for it to come back.
      const connection = make({ maxRetriesPerRequest: 3 });
      const workerConnection = make({ maxRetriesPerRequest: null });
      for (const c of [connection, workerConnection])
        c.on('error', (error: Error) => {
          if (!this.stopping) this.logger.warn(`Redis: ${error.message}`);
        });
      try {
        await withTimeout(
          Promise.all([connection.connect(), workerConnection.connect()]),
          CONNECT_TIMEOUT_MS,
        );
      } catch (error) {
        connection.disconnect();
        workerConnection.disconnect();
        throw new TasksError(
          TasksErrorCode.RedisUnavailable,
          `The bullmq driver could not reach Redis at ${describeRedis(redis)}: ${(error as Error).message}. Start Redis or fix the \`redis\` option.`,
        );
      }
      return { bull, connection, workerConnection };
    })();
    return this.ready;
  }

  private async queue(name: string): Promise<Queue> {
    const { bull, connection } = await this.connect();
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new bull.Queue(name, { connection, prefix: this.options.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Every queue this process knows: configured, named by a task, or enqueued to. */
  private async knownQueues(): Promise<Queue[]> {
    const names = new Set([
      ...this.options.queues.keys(),
      ...this.registry.all.map((t) => t.queue),
      ...this.queues.keys(),
    ]);
    return Promise.all([...names].sort().map((n) => this.queue(n)));
  }

  private jobOptions(job: NewJob): JobsOptions {
    const options: JobsOptions = { attempts: job.maxAttempts, backoff: KWIK_BACKOFF };
    if (job.priority < 0) options.priority = -job.priority;
    if (job.dedupKey !== null) options.deduplication = { id: job.dedupKey };
    return options;
  }

  async enqueue(job: NewJob, tx: EntityManager | undefined): Promise<EnqueuedJob> {
    if (job.priority > 0)
      throw new TasksError(
        TasksErrorCode.InvalidEnqueue,
        `enqueue('${job.name}'): priority ${job.priority}: the bullmq driver runs jobs without a priority first, so only priorities ≤ 0 keep their order there (use 0 for the most urgent jobs and negative numbers for later ones)`,
      );
    const data: KwikJobData = { payload: job.payload ?? null };
    if (job.context !== null) data.context = job.context;
    if (!sameBackoff(job.backoff, this.registry.get(job.name)?.backoff)) data.backoff = job.backoff;
    const runAtMs = job.runAt ? job.runAt.getTime() : Date.now() + job.delayMs;
    if (tx) {
      const [row] = rowsOf<{ id: string }>(
        await tx.query(
          `INSERT INTO "kwik_task_outbox" ("queue", "name", "data", "options") VALUES ($1, $2, $3, $4) RETURNING "id"::text AS "id"`,
          [job.queue, job.name, asJson(job.name, data), JSON.stringify({ ...this.jobOptions(job), runAtMs })],
        ),
      );
      this.transactions.afterCommit(() => this.relay());
      return { id: `o${row!.id}`, deduplicated: false };
    }
    const id = this.nextId();
    const queue = this.queues.get(job.queue) ?? (await this.queue(job.queue));
    const options = this.jobOptions(job);
    options.jobId = id;
    const delay = runAtMs - Date.now();
    if (delay > 0) options.delay = delay;
    let added: Job;
    try {
      added = await queue.add(job.name, data, options);
    } catch (error) {
      // BullMQ writes the data with JSON.stringify: a BigInt or a cycle fails there.
      if (error instanceof TypeError && /JSON|BigInt|circular/i.test(error.message))
        throw notJson(job.name, error);
      throw error;
    }
    // With a dedup key held by a live job BullMQ answers with that job.
    return { id: added.id!, deduplicated: added.id !== id };
  }

  private nextId(): string {
    return this.idPrefix + (++this.idCounter).toString(16).padStart(12, '0');
  }

  /**
   * Moves committed outbox rows to Redis: a batch at a time, rows locked with SKIP LOCKED (another
   * instance relays the rest), added to BullMQ under their outbox id, then deleted in the same
   * transaction. A call while a relay runs makes it go round once more, so the rows committed
   * before the call are relayed by the time the returned promise settles.
   */
  relay(): Promise<void> {
    if (!this.active) return Promise.resolve();
    if (this.relaying) {
      this.relayAgain = true;
      return this.relaying;
    }
    this.relaying = (async () => {
      try {
        do {
          this.relayAgain = false;
          while ((await this.relayBatch()) === RELAY_BATCH) {
            /* a full batch: there may be more */
          }
        } while (this.relayAgain);
      } catch (error) {
        if (!this.stopping)
          this.logger.warn(`Relaying the task outbox failed (retried every poll): ${String(error)}`);
      } finally {
        this.relaying = undefined;
      }
    })();
    return this.relaying;
  }

  /** One batch, as the connecting user: a relay started by a tenant's commit moves every tenant's rows. */
  private relayBatch(): Promise<number> {
    return this.sessionScope.runUnscoped(() =>
      this.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT "id"::text AS "id", "queue", "name", "data", "options" FROM "kwik_task_outbox"
          ORDER BY "id" LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`,
        )) as OutboxRow[];
        if (rows.length === 0) return 0;
        const byQueue = new Map<string, OutboxRow[]>();
        for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
        for (const [name, batch] of byQueue) {
          const queue = await this.queue(name);
          await queue.addBulk(
            batch.map(({ id, name: task, data, options: { runAtMs, ...options } }) => ({
              name: task,
              data,
              opts: { ...options, delay: Math.max(0, runAtMs - Date.now()), jobId: `o${id}` },
            })),
          );
        }
        await manager.query(`DELETE FROM "kwik_task_outbox" WHERE "id" = ANY($1::bigint[])`, [
          rows.map((r) => r.id),
        ]);
        return rows.length;
      }),
    );
  }

  private async startWorkers(): Promise<void> {
    const { bull, workerConnection } = await this.connect();
    for (const [name, { concurrency }] of this.options.queues) {
      const worker = new bull.Worker(name, (job: Job) => this.process(bull, job), {
        connection: workerConnection,
        prefix: this.options.prefix,
        concurrency,
        lockDuration: this.options.leaseMs,
        stalledInterval: this.options.leaseMs,
        // A job whose worker died runs again (BullMQ fails it after this many stalls).
        maxStalledCount: this.options.attempts,
        // Retention, applied as jobs finish (worker-wide: nothing extra stored per job).
        removeOnComplete: { age: Math.ceil(this.options.keepCompletedMs / 1000) },
        removeOnFail: { age: Math.ceil(this.options.keepDeadMs / 1000) },
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: MinimalJob) =>
            backoffDelay(
              attemptsMade,
              (job?.data as KwikJobData | undefined)?.backoff ??
                (job ? this.registry.get(job.name)?.backoff : undefined) ??
                this.options.backoff,
            ),
        },
      });
      worker.on('completed', () => this.stats.completed++);
      worker.on('stalled', (jobId: string) => {
        this.stats.reclaimed++;
        this.logger.warn(`Job ${jobId} of "${name}" stalled (its worker stopped or hung): it runs again`);
      });
      worker.on('failed', (job: Job | undefined, error: Error) => this.failed(job, error));
      worker.on('error', (error: Error) => {
        if (!this.stopping) this.logger.warn(`Worker of "${name}": ${error.message}`);
      });
      this.workers.push(worker);
    }
  }

  private process(bull: Bullmq, job: Job): Promise<unknown> {
    this.stats.claimed++;
    const data = job.data as KwikJobData;
    return this.runner
      .run({ id: job.id!, name: job.name, payload: data.payload, context: data.context ?? null })
      .catch((error: unknown) => {
        // BullMQ does not retry an UnrecoverableError: the job fails (is dead) at once.
        throw error instanceof PermanentFailure ? new bull.UnrecoverableError(error.message) : error;
      });
  }

  /** Counts and logs a failed attempt: a retry when BullMQ put the job back, dead when it failed it. */
  private failed(job: Job | undefined, error: Error): void {
    if (!job) return;
    // BullMQ also fails a job outright (too many stalls, an UnrecoverableError): ask where it is.
    void job.getState().then(
      (state) => this.countFailure(job, error, state !== 'failed'),
      () => this.countFailure(job, error, job.attemptsMade < (job.opts.attempts ?? 1)),
    );
  }

  private countFailure(job: Job, error: Error, retrying: boolean): void {
    const attempts = job.opts.attempts ?? 1;
    const permanent = error.name === 'UnrecoverableError';
    if (retrying) {
      this.stats.retried++;
      this.logger.warn(
        `Job ${job.id} (${job.name}) failed (attempt ${job.attemptsMade}/${attempts}): ${error.message}; retrying`,
      );
    } else {
      this.stats.dead++;
      this.logger.error(
        `Job ${job.id} (${job.name}) is dead after ${job.attemptsMade} attempt(s)${permanent ? ' (not retried)' : ''}: ${error.message}`,
      );
    }
  }

  isJobId(id: string): boolean {
    return JOB_ID.test(id);
  }

  private async find(id: string): Promise<Job | undefined> {
    const found = await Promise.all((await this.knownQueues()).map((q) => q.getJob(id)));
    return found.find((j): j is Job => j !== undefined && j !== null);
  }

  async get(id: string): Promise<JobRow | undefined> {
    let job = await this.find(id);
    if (job) {
      const state = await job.getState();
      // The hash was read before the job finished and the state after it: read the finished job
      // again (BullMQ writes its result and its state in one script), so a completed job never
      // shows without its result.
      if ((state === 'completed' || state === 'failed') && !job.finishedOn)
        job = (await this.find(id)) ?? job;
      return this.row(job, state);
    }
    if (!id.startsWith('o')) return undefined;
    // Enqueued in a transaction and not relayed yet.
    const [row] = (await this.sessionScope.runUnscoped(() =>
      this.dataSource.query(
        `SELECT "id"::text AS "id", "queue", "name", "data", "options", "createdAt" FROM "kwik_task_outbox" WHERE "id" = $1`,
        [id.slice(1)],
      ),
    )) as OutboxRow[];
    if (!row) return undefined;
    return {
      ...this.blank(),
      id,
      queue: row.queue,
      name: row.name,
      payload: row.data.payload,
      runAt: new Date(row.options.runAtMs),
      maxAttempts: row.options.attempts ?? 1,
      priority: row.options.priority ? -row.options.priority : 0,
      backoff: row.data.backoff ?? this.registry.get(row.name)?.backoff ?? null,
      dedupKey: row.options.deduplication?.id ?? null,
      context: row.data.context ?? null,
      createdAt: row.createdAt,
    };
  }

  private blank(): JobRow {
    return {
      id: '',
      queue: '',
      name: '',
      payload: null,
      state: 'pending',
      priority: 0,
      runAt: new Date(),
      attempts: 0,
      maxAttempts: 1,
      backoff: null,
      dedupKey: null,
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      result: null,
      context: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
    };
  }

  /** A BullMQ job in the shape of the PostgreSQL driver's rows. */
  private row(job: Job, bullState: string): JobRow {
    const data = (job.data ?? {}) as Partial<KwikJobData>;
    const state = STATES[bullState] ?? 'pending';
    const maxAttempts = job.opts.attempts ?? 1;
    const lastError = job.failedReason
      ? {
          message: job.failedReason,
          ...(state === 'dead' && job.attemptsMade < maxAttempts ? { permanent: true } : {}),
        }
      : null;
    return {
      id: job.id!,
      queue: job.queueName,
      name: job.name,
      payload: data.payload ?? null,
      state,
      priority: job.priority ? -job.priority : 0,
      runAt: new Date(job.timestamp + (job.delay ?? 0)),
      attempts: job.attemptsStarted ?? job.attemptsMade,
      maxAttempts,
      backoff: data.backoff ?? this.registry.get(job.name)?.backoff ?? null,
      dedupKey: job.deduplicationId ?? job.opts.deduplication?.id ?? null,
      lockedBy: null,
      lockedUntil: null,
      lastError,
      result: job.returnvalue ?? null,
      context: data.context ?? null,
      createdAt: new Date(job.timestamp),
      startedAt: job.processedOn ? new Date(job.processedOn) : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    };
  }

  async redrive(ids: readonly string[]): Promise<number> {
    let n = 0;
    for (const id of ids) {
      const job = await this.find(id);
      if (!job || (await job.getState()) !== 'failed') continue;
      const key = job.deduplicationId ?? job.opts.deduplication?.id;
      if (key) {
        const holder = await (await this.queue(job.queueName)).getDeduplicationJobId(key);
        if (holder && holder !== job.id) {
          const other = await this.find(holder);
          if (other && !['completed', 'failed', 'unknown'].includes(await other.getState())) continue;
        }
      }
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      n++;
    }
    return n;
  }

  async cancel(id: string): Promise<boolean> {
    const job = await this.find(id);
    if (!job) {
      // Enqueued in a transaction and not relayed yet: cancelling drops its outbox row.
      if (!id.startsWith('o')) return false;
      const deleted = rowsOf(
        await this.sessionScope.runUnscoped(() =>
          this.dataSource.query(`DELETE FROM "kwik_task_outbox" WHERE "id" = $1 RETURNING "id"`, [
            id.slice(1),
          ]),
        ),
      );
      return deleted.length > 0;
    }
    const state = await job.getState();
    if (!['waiting', 'prioritized', 'delayed', 'waiting-children'].includes(state)) return false;
    try {
      await job.remove();
      return true;
    } catch {
      return false; // taken by a worker meanwhile
    }
  }

  async counts(): Promise<{ name: string; counts: QueueCounts }[]> {
    return Promise.all(
      (await this.knownQueues()).map(async (queue) => {
        const c = await queue.getJobCounts(
          'waiting',
          'prioritized',
          'waiting-children',
          'active',
          'delayed',
          'completed',
          'failed',
        );
        const counts = noCounts();
        counts.waiting = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
        counts.active = c.active ?? 0;
        counts.delayed = c.delayed ?? 0;
        counts.completed = c.completed ?? 0;
        counts.failed = c.failed ?? 0;
        return { name: queue.name, counts };
      }),
    );
  }

  async failures(limit: number, tenantId?: string): Promise<JobRow[]> {
    const rows: JobRow[] = [];
    // A tenant's failures are among the queues' latest ones: read further back for them.
    const depth = tenantId === undefined ? limit : limit * 10;
    const keep = (row: JobRow) => tenantId === undefined || tenantOf(row) === tenantId;
    for (const queue of await this.knownQueues()) {
      for (const job of await queue.getFailed(0, depth - 1)) rows.push(this.row(job, 'failed'));
      // Failed attempts waiting for their retry sit in the delayed set with a failedReason.
      for (const job of await queue.getDelayed(0, depth * 4 - 1))
        if (job.failedReason) rows.push(this.row(job, 'delayed'));
    }
    rows.splice(0, rows.length, ...rows.filter(keep));
    return rows.sort((a, b) => failedAt(b) - failedAt(a)).slice(0, limit);
  }

  get worker(): WorkerInfo {
    return { id: this.id, driver: 'bullmq', stats: { ...this.stats } };
  }
}

function notJson(name: string, error: Error): TasksError {
  return new TasksError(
    TasksErrorCode.InvalidEnqueue,
    `enqueue('${name}'): the payload must be JSON (${error.message})`,
  );
}

/** The outbox row's data as JSON text, NUL characters refused (a PostgreSQL jsonb cannot hold them). */
function asJson(name: string, data: KwikJobData): string {
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch (error) {
    throw notJson(name, error as Error);
  }
  if (json.replaceAll('\\\\', '').includes('\\u0000'))
    throw new TasksError(
      TasksErrorCode.InvalidEnqueue,
      `enqueue('${name}'): the payload must be JSON that PostgreSQL can store (no NUL character \\u0000)`,
    );
  return json;
}

function sameBackoff(a: ResolvedBackoff, b: ResolvedBackoff | undefined): boolean {
  if (a === b) return true;
  return (
    b !== undefined &&
    a.type === b.type &&
    a.delayMs === b.delayMs &&
    a.maxDelayMs === b.maxDelayMs &&
    a.jitter === b.jitter
  );
}

/** When a failure happened: a dead job's end, a retry's due time. */
function failedAt(row: JobRow): number {
  return (row.finishedAt ?? row.runAt).getTime();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The Redis address for messages, without a password. */
function describeRedis(redis: NonNullable<ResolvedTasksOptions['redis']>): string {
  if (typeof redis !== 'string') return `${String(redis.host ?? '127.0.0.1')}:${String(redis.port ?? 6379)}`;
  try {
    const url = new URL(redis);
    url.password = '';
    return url.toString();
  } catch {
    return 'the configured URL';
  }
}
