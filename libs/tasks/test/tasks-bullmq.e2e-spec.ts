import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { KwikModule, RequestContext } from '@kwik/core';
import { DatabaseModule, TransactionManager } from '@kwik/database';
import {
  BullmqTaskBackend,
  Cron,
  TaskBackend,
  TaskQueue,
  TasksModule,
  TasksSchema1796000000000,
  resolveTasksOptions,
} from '@kwik/tasks';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import {
  Handlers,
  REDIS_URL,
  Seen,
  bullmqOptions,
  dropPrefix,
  startTasksApp,
  until,
} from './fixtures/tasks-app.js';

describe('tasks on BullMQ', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let queue: TaskQueue;
  let seen: Seen;
  const options = bullmqOptions('main');
  const state = async (id: string) => (await queue.job(id))?.state;
  const outboxRows = async () =>
    Number((await app.get(DataSource).query(`SELECT count(*)::int AS "n" FROM "kwik_task_outbox"`))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase('tasks_bullmq');
    app = await startTasksApp(db.url, options);
    queue = app.get(TaskQueue);
    seen = app.get(Seen);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await dropPrefix(options.prefix);
  });

  it('is the driver behind TaskQueue', () => {
    expect(app.get(TaskBackend)).toBeInstanceOf(BullmqTaskBackend);
  });

  it('runs an enqueued job with its validated payload and stores the result', async () => {
    const { id } = await queue.enqueue('greet', { name: 'Ada', times: 2 });
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    await until(async () => (await state(id)) === 'completed', 'greet completed');
    const job = (await queue.job(id))!;
    expect(job).toMatchObject({
      queue: 'default',
      name: 'greet',
      attempts: 1,
      result: 'hello Ada ×2',
      lastError: null,
    });
    expect(job.payload).toEqual({ name: 'Ada', times: 2 });
    expect(seen.of('greet').at(-1)!.payload).toBeInstanceOf(Object);
    // It is a plain BullMQ job: BullMQ's own API sees it.
    const raw = new Queue('default', { connection: { url: REDIS_URL }, prefix: options.prefix });
    try {
      const bull = (await raw.getJob(id))!;
      expect(await bull.getState()).toBe('completed');
      expect(bull.returnvalue).toBe('hello Ada ×2');
    } finally {
      await raw.close();
    }
  });

  it('fails an invalid payload at once, without retries (a dead letter naming the problem)', async () => {
    const { id } = await queue.enqueue('greet', { name: 7, times: -1, extra: true });
    await until(async () => (await state(id)) === 'dead', 'invalid payload dead');
    const job = (await queue.job(id))!;
    expect(job.attempts).toBe(1);
    expect(job.lastError).toMatchObject({ permanent: true });
    expect(job.lastError!.message).toMatch(/^invalid payload for greet \(GreetPayload\): /);
    expect(job.lastError!.message).toContain('extra: property extra should not exist');
  });

  it('retries with Kwik’s backoff, then completes', async () => {
    seen.failuresLeft.set('twice', 2);
    const { id } = await queue.enqueue('flaky', { key: 'twice' });
    await until(async () => (await state(id)) === 'completed', 'flaky completed');
    const calls = seen.of('flaky').filter((c) => (c.payload as { key: string }).key === 'twice');
    expect(calls).toHaveLength(3);
    // flaky's backoff: 20 ms, doubling, no jitter.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(15);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(35);
    expect((await queue.job(id))!.attempts).toBe(3);
  });

  it('dead-letters a job out of attempts, lists it among the failures, and redrives it', async () => {
    seen.failuresLeft.set('always', 100);
    const { id } = await queue.enqueue('flaky', { key: 'always' });
    await until(async () => (await state(id)) === 'dead', 'flaky dead');
    const dead = (await queue.job(id))!;
    expect(dead.attempts).toBe(3);
    expect(dead.lastError!.message).toMatch(/flaky failure/);
    expect(dead.lastError!.permanent).toBeUndefined();
    const failures = await app.get(TaskBackend).failures(10);
    expect(failures.find((f) => f.id === id)).toMatchObject({ state: 'dead', attempts: 3 });
    seen.failuresLeft.set('always', 0);
    expect(await queue.redrive([id])).toBe(1);
    expect(await queue.redrive([id])).toBe(0); // no longer dead
    await until(async () => (await state(id)) === 'completed', 'redriven job completed');
  });

  it('enqueues inside a transaction through the outbox: a rollback discards it, a commit relays it', async () => {
    const tx = app.get(TransactionManager);
    let rolledBack: string | undefined;
    await expect(
      tx.run(async () => {
        rolledBack = (await queue.enqueue('greet', { name: 'Ghost', times: 1 })).id;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(rolledBack).toMatch(/^o\d+$/);
    expect(await queue.job(rolledBack!)).toBeUndefined();

    let pendingInside: string | undefined;
    const committed = await tx.run(async () => {
      const { id } = await queue.enqueue('greet', { name: 'Committed', times: 1 }, { delay: 60_000 });
      // Not in Redis yet: the outbox row is only visible inside this transaction.
      pendingInside = String(await queue.job(id).then((j) => j?.state));
      return id;
    });
    expect(pendingInside).toBe('undefined');
    // run() resolves after the relay: the job is in Redis under its outbox id.
    expect(await queue.job(committed)).toMatchObject({ id: committed, state: 'pending', name: 'greet' });
    expect(await outboxRows()).toBe(0);
    expect(await app.get(TaskBackend).cancel(committed)).toBe(true);
    expect(seen.of('greet').some((c) => (c.payload as { name: string }).name === 'Ghost')).toBe(false);

    const runs = await tx.run(async () => (await queue.enqueue('greet', { name: 'Runs', times: 1 })).id);
    await until(async () => (await state(runs)) === 'completed', 'the committed job');
  });

  it('relays outbox rows a crashed process committed but never relayed (the poll), once', async () => {
    // What a process killed between COMMIT and its relay leaves behind.
    const data = {
      payload: { name: 'Orphaned', times: 1 },
      context: null,
      backoff: { type: 'fixed', delayMs: 10, maxDelayMs: 10, jitter: false },
    };
    const [row] = await app
      .get(DataSource)
      .query(
        `INSERT INTO "kwik_task_outbox" ("queue", "name", "data", "options") VALUES ('default', 'greet', $1, $2) RETURNING "id"::text AS "id"`,
        [
          JSON.stringify(data),
          JSON.stringify({ attempts: 1, backoff: { type: 'kwik' }, runAtMs: Date.now() }),
        ],
      );
    const id = `o${row.id}`;
    expect(await queue.job(id)).toMatchObject({ state: 'pending', name: 'greet' });
    await until(async () => (await state(id)) === 'completed', 'the orphaned outbox job');
    // Relaying the same row again (a crash after addBulk, before DELETE) adds nothing twice.
    await app
      .get(DataSource)
      .query(
        `INSERT INTO "kwik_task_outbox" ("id", "queue", "name", "data", "options") VALUES ($1, 'default', 'greet', $2, $3)`,
        [
          row.id,
          JSON.stringify(data),
          JSON.stringify({ attempts: 1, backoff: { type: 'kwik' }, runAtMs: Date.now() }),
        ],
      );
    await app.get(BullmqTaskBackend).relay();
    expect(await outboxRows()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.of('greet').filter((c) => (c.payload as { name: string }).name === 'Orphaned')).toHaveLength(
      1,
    );
  });

  it('keeps one live job per dedup key', async () => {
    const first = await queue.enqueue(
      'greet',
      { name: 'Once', times: 1 },
      { dedupKey: 'welcome:42', delay: 60_000 },
    );
    const second = await queue.enqueue(
      'greet',
      { name: 'Twice', times: 1 },
      { dedupKey: 'welcome:42', delay: 60_000 },
    );
    expect(first.deduplicated).toBe(false);
    expect(second).toEqual({ id: first.id, deduplicated: true });
    expect((await queue.job(first.id))!).toMatchObject({
      dedupKey: 'welcome:42',
      payload: { name: 'Once', times: 1 },
    });
    // Another queue is another key space.
    const other = await queue.enqueue(
      'greet',
      { name: 'Elsewhere', times: 1 },
      { dedupKey: 'welcome:42', delay: 60_000, queue: 'serial' },
    );
    expect(other.deduplicated).toBe(false);
  });

  it('runs priority 0 first, then lower priorities in order, and delayed jobs only when due', async () => {
    const blocker = await queue.enqueue('slow', { label: 'blocker' });
    await until(() => seen.releaseSlow !== undefined, 'the blocker running');
    const delayed = await queue.enqueue('ordered', { label: 'delayed' }, { delay: 400 });
    await queue.enqueue('ordered', { label: 'lowest' }, { priority: -10 });
    await queue.enqueue('ordered', { label: 'top' });
    await queue.enqueue('ordered', { label: 'lower' }, { priority: -2 });
    seen.releaseSlow!();
    await until(async () => (await state(delayed.id)) === 'completed', 'the delayed job');
    expect(seen.of('ordered').map((c) => (c.payload as { label: string }).label)).toEqual([
      'top',
      'lower',
      'lowest',
      'delayed',
    ]);
    expect((await queue.job(blocker.id))!.state).toBe('completed');
    await expect(queue.enqueue('ordered', { label: 'x' }, { priority: 1 })).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*only priorities ≤ 0 keep their order/,
    );
  });

  it('restores the enqueuer’s context, and the handler’s log lines carry the job id', async () => {
    const context = app.get(RequestContext);
    const { id } = await context.run(
      { requestId: 'req-from-http', tenant: { id: '00000000-0000-0000-0000-000000000001', slug: 'acme' } },
      () => queue.enqueue('greet', { name: 'Context', times: 1 }),
    );
    await until(async () => (await state(id)) === 'completed', 'context job');
    const call = seen.of('greet').find((c) => (c.payload as { name: string }).name === 'Context')!;
    expect(call).toMatchObject({ requestId: 'req-from-http', tenant: 'acme', jobId: id });
    expect(call.logFields).toMatchObject({
      requestId: 'req-from-http',
      jobId: id,
      tenantId: '00000000-0000-0000-0000-000000000001',
    });
    expect((await queue.job(id))!.context).toMatchObject({
      requestId: 'req-from-http',
      tenant: { slug: 'acme' },
    });
  });

  it('shows a job that completes between its two reads (hash, then state) with its result', async () => {
    seen.releaseSlow = undefined;
    const { id } = await queue.enqueue('slow', { label: 'finishes mid-read' });
    await until(() => seen.releaseSlow !== undefined, 'the slow job running');
    const raw = new Queue('serial', { connection: { url: REDIS_URL }, prefix: options.prefix });
    // The job's hash is read while it runs; it completes before its state is asked.
    const getState = Job.prototype.getState;
    const spy = vi.spyOn(Job.prototype, 'getState').mockImplementationOnce(async function (this: Job) {
      seen.releaseSlow!();
      await until(async () => (await raw.getJobState(id)) === 'completed', 'the slow job completed');
      return getState.call(this);
    });
    try {
      expect(await queue.job(id)).toMatchObject({ state: 'completed', result: 'slow done' });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await raw.close();
    }
  });

  it('turns a @BackgroundTask() call into a job', async () => {
    const job = (await app
      .get(RequestContext)
      .run({ requestId: 'req-bg' }, () => app.get(Handlers).rebuild('acme', 3))) as unknown as { id: string };
    await until(async () => (await state(job.id)) === 'completed', 'the background job');
    expect(seen.of('rebuild').at(-1)).toMatchObject({ payload: ['acme', 3], requestId: 'req-bg' });
    expect((await queue.job(job.id))!).toMatchObject({ queue: 'serial', result: 'rebuilt acme ×3' });
  });

  it('counts jobs by queue in the operations API’s words', async () => {
    await queue.enqueue('greet', { name: 'Later', times: 1 }, { delay: 3_600_000 });
    const counts = await app.get(TaskBackend).counts();
    const main = counts.find((c) => c.name === 'default')!;
    expect(main.counts.delayed).toBeGreaterThanOrEqual(1);
    expect(main.counts.completed).toBeGreaterThanOrEqual(3);
    expect(main.counts.failed).toBeGreaterThanOrEqual(1);
    expect(Object.keys(main.counts).sort()).toEqual([
      'active',
      'cancelled',
      'completed',
      'delayed',
      'failed',
      'waiting',
    ]);
    expect(app.get(TaskBackend).worker).toMatchObject({
      driver: 'bullmq',
      stats: { completed: expect.any(Number) },
    });
  });

  it('refuses payloads that are not JSON, directly and through the outbox', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(queue.enqueue('greet', circular)).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*must be JSON/,
    );
    await expect(queue.enqueue('greet', { n: 1n })).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*must be JSON/,
    );
    await expect(app.get(TransactionManager).run(() => queue.enqueue('greet', { n: 1n }))).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*must be JSON/,
    );
    await expect(
      app.get(TransactionManager).run(() => queue.enqueue('greet', { name: 'a\u0000b', times: 1 })),
    ).rejects.toThrow(/KWIK_TASKS_INVALID_ENQUEUE.*no NUL character/);
    // Redis holds a NUL character fine.
    const nul = await queue.enqueue('greet', { name: 'a\u0000b', times: 1 });
    await until(async () => (await state(nul.id)) === 'completed', 'the NUL job');
  });

  it('reconnects after Redis drops its connections (as by a Redis restart) and goes on', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const list = (await redis.client('LIST')) as string;
      const ours = list
        .split('\n')
        .filter((line) => new RegExp(` name=${options.prefix}:`).test(line))
        .map((line) => /(?:^| )id=(\d+)/.exec(line)![1]!);
      expect(ours.length).toBeGreaterThanOrEqual(2); // the driver's connections and the worker's blocking one
      for (const id of ours) await redis.client('KILL', 'ID', id);
    } finally {
      redis.disconnect();
    }
    const { id } = await queue.enqueue('greet', { name: 'After the drop', times: 1 });
    await until(async () => (await state(id)) === 'completed', 'a job after the reconnect', 20_000);
  });

  it('refuses ids that are not its ids', async () => {
    await expect(queue.job('12')).rejects.toThrow(/KWIK_TASKS_INVALID_ENQUEUE.*24 hex digits/);
    expect(await queue.job('0123456789abcdef01234567')).toBeUndefined();
  });
});

describe('tasks on BullMQ: shutdown, cron and boot', () => {
  it('lets a running job finish before the app closes', async () => {
    const db = await createTestDatabase('tasks_bullmq_shutdown');
    const options = bullmqOptions('shutdown');
    try {
      const app = await startTasksApp(db.url, options);
      const seen = app.get(Seen);
      const { id } = await app.get(TaskQueue).enqueue('slow', { label: 'drain me' });
      await until(() => seen.releaseSlow !== undefined, 'the slow job running');
      setTimeout(() => seen.releaseSlow!(), 300);
      await app.close();
      const check = await startTasksApp(db.url, { ...options, worker: false });
      expect((await check.get(TaskQueue).job(id))!.state).toBe('completed');
      await check.close();
    } finally {
      await db.drop();
      await dropPrefix(options.prefix);
    }
  });

  it('fires each cron tick once across two instances', async () => {
    @Injectable()
    class EverySecond {
      constructor(private readonly seen: Seen) {}
      @Cron('* * * * * *', { name: 'every-second' })
      beat({ tick }: { tick: string }): void {
        this.seen.calls.push({ task: 'cron', payload: tick, at: Date.now() });
      }
    }
    const db = await createTestDatabase('tasks_bullmq_cron');
    const options = bullmqOptions('cron');
    const a = await startTasksApp(db.url, options, [EverySecond]);
    const b = await startTasksApp(db.url, options, [EverySecond]);
    try {
      const ticks = () =>
        [...a.get(Seen).of('cron'), ...b.get(Seen).of('cron')].map((c) => c.payload as string);
      await until(() => new Set(ticks()).size >= 3, 'three ticks', 8000);
      await new Promise((r) => setTimeout(r, 300));
      const all = ticks();
      expect(new Set(all).size).toBe(all.length);
      const [recorded] = await a
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS "n", count("jobId")::int AS "jobs" FROM "kwik_cron_ticks" WHERE "name" = 'every-second'`,
        );
      expect(recorded.jobs).toBe(recorded.n);
    } finally {
      await a.close();
      await b.close();
      await db.drop();
      await dropPrefix(options.prefix);
    }
  });

  it('cancels a job still in the outbox (committed, not relayed yet) by dropping its row', async () => {
    const db = await createTestDatabase('tasks_bullmq_outbox_cancel');
    const options = bullmqOptions('outboxcancel');
    // No worker, and a relay poll far beyond the test: the row stays in the outbox.
    const app = await startTasksApp(db.url, { ...options, worker: false, pollIntervalMs: 600_000 });
    try {
      const [row] = await app.get(DataSource).query(
        `INSERT INTO "kwik_task_outbox" ("queue", "name", "data", "options")
         VALUES ('default', 'greet', '{"payload":{"name":"Never","times":1}}', '{"attempts":1,"runAtMs":0}') RETURNING "id"::text AS "id"`,
      );
      const id = `o${row.id}`;
      const queue = app.get(TaskQueue);
      expect(await queue.job(id)).toMatchObject({ state: 'pending', name: 'greet' });
      expect(await app.get(TaskBackend).cancel(id)).toBe(true);
      expect(await queue.job(id)).toBeUndefined();
      expect(await app.get(TaskBackend).cancel(id)).toBe(false);
    } finally {
      await app.close();
      await db.drop();
      await dropPrefix(options.prefix);
    }
  });

  it('fails at boot when Redis does not answer, naming where it looked', async () => {
    const db = await createTestDatabase('tasks_bullmq_noredis');
    try {
      await expect(startTasksApp(db.url, { driver: 'bullmq', redis: 'redis://127.0.0.1:1' })).rejects.toThrow(
        /KWIK_TASKS_REDIS_UNAVAILABLE.*redis:\/\/127\.0\.0\.1:1/,
      );
    } finally {
      await db.drop();
    }
  });

  it('fails at boot without the outbox table, saying which migrations to add', async () => {
    const db = await createTestDatabase('tasks_bullmq_noschema');
    const options = bullmqOptions('noschema');
    try {
      @Module({
        imports: [
          KwikModule.forRoot({ docs: false }),
          DatabaseModule.forRoot({
            url: db.url,
            logging: false,
            migrations: [TasksSchema1796000000000],
            migrationsRun: true,
          }),
          TasksModule.forRoot(options),
        ],
      })
      class NoOutbox {}
      await expect(
        NestFactory.createApplicationContext(NoOutbox, { logger: false, abortOnError: false }),
      ).rejects.toThrow(/KWIK_TASKS_SCHEMA_MISSING.*kwik_task_outbox.*TASKS_MIGRATIONS/);
    } finally {
      await db.drop();
    }
  });

  it.each([
    [{ driver: 'bullmq' }, /driver 'bullmq' needs `redis`/],
    [{ driver: 'bullmq', redis: 'http://x' }, /redis must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ redis: REDIS_URL }, /`redis` is for driver 'bullmq' only/],
    [{ driver: 'kafka' }, /driver must be 'postgres' or 'bullmq'/],
    [{ driver: 'bullmq', redis: REDIS_URL, prefix: 'a b' }, /prefix must be/],
  ])('refuses %j at boot', (options, message) => {
    expect(() => resolveTasksOptions(options as never)).toThrow(message);
  });
});
