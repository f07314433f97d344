import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { TaskQueue, TaskWorker, TasksError } from '@kwik/tasks';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { Handlers, Seen, startTasksApp, until } from './fixtures/tasks-app.js';

describe('tasks on PostgreSQL', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let queue: TaskQueue;
  let seen: Seen;
  const state = async (id: string) => (await queue.job(id))?.state;

  beforeAll(async () => {
    db = await createTestDatabase('tasks');
    app = await startTasksApp(db.url);
    queue = app.get(TaskQueue);
    seen = app.get(Seen);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('runs an enqueued job with its validated payload and stores the result', async () => {
    const { id } = await queue.enqueue('greet', { name: 'Ada', times: 2 });
    await until(async () => (await state(id)) === 'completed', 'greet completed');
    const job = (await queue.job(id))!;
    expect(job).toMatchObject({ attempts: 1, result: 'hello Ada ×2', lastError: null });
    expect(seen.of('greet').at(-1)!.payload).toBeInstanceOf(Object);
  });

  it('fails an invalid payload at once, without retries (a dead letter naming the problem)', async () => {
    const { id } = await queue.enqueue('greet', { name: 7, times: -1, extra: true });
    await until(async () => (await state(id)) === 'dead', 'invalid payload dead');
    const job = (await queue.job(id))!;
    expect(job.attempts).toBe(1);
    expect(job.lastError).toMatchObject({ permanent: true });
    expect(job.lastError!.message).toMatch(/^invalid payload for greet \(GreetPayload\): /);
    for (const part of [
      'name: name must be a string',
      'times: times must not be less than 0',
      'extra: property extra should not exist',
    ])
      expect(job.lastError!.message).toContain(part);
  });

  it('retries with backoff, then completes', async () => {
    seen.failuresLeft.set('twice', 2);
    const { id } = await queue.enqueue('flaky', { key: 'twice' });
    await until(async () => (await state(id)) === 'completed', 'flaky completed');
    const calls = seen.of('flaky').filter((c) => (c.payload as { key: string }).key === 'twice');
    expect(calls).toHaveLength(3);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(15);
    expect((await queue.job(id))!.attempts).toBe(3);
  });

  it('dead-letters a job out of attempts, and redrives it', async () => {
    seen.failuresLeft.set('always', 100);
    const { id } = await queue.enqueue('flaky', { key: 'always' });
    await until(async () => (await state(id)) === 'dead', 'flaky dead');
    const dead = (await queue.job(id))!;
    expect(dead.attempts).toBe(3);
    expect(dead.lastError!.message).toMatch(/flaky failure/);
    seen.failuresLeft.set('always', 0);
    expect(await queue.redrive([id])).toBe(1);
    await until(async () => (await state(id)) === 'completed', 'redriven job completed');
  });

  it('enqueues inside a transaction: a rollback discards the job, a commit runs it', async () => {
    const tx = app.get(TransactionManager);
    let rolledBack: string | undefined;
    await expect(
      tx.run(async () => {
        rolledBack = (await queue.enqueue('greet', { name: 'Ghost', times: 1 })).id;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await queue.job(rolledBack!)).toBeUndefined();
    const committed = await tx.run(
      async () => (await queue.enqueue('greet', { name: 'Committed', times: 1 })).id,
    );
    await until(async () => (await state(committed)) === 'completed', 'committed job completed');
    expect(seen.of('greet').some((c) => (c.payload as { name: string }).name === 'Ghost')).toBe(false);
  });

  it('keeps one pending job per dedup key', async () => {
    const at = new Date(Date.now() + 60_000);
    const first = await queue.enqueue(
      'greet',
      { name: 'Once', times: 1 },
      { dedupKey: 'welcome:42', runAt: at },
    );
    const second = await queue.enqueue(
      'greet',
      { name: 'Twice', times: 1 },
      { dedupKey: 'welcome:42', runAt: at },
    );
    expect(second).toEqual({ id: first.id, deduplicated: true });
    expect(first.deduplicated).toBe(false);
  });

  it('returns the first job to a concurrent enqueue of the same dedup key', async () => {
    const tx = app.get(TransactionManager);
    const at = new Date(Date.now() + 60_000);
    let releaseFirst!: () => void;
    const held = new Promise<void>((r) => (releaseFirst = r));
    let firstId: string | undefined;
    const first = tx.run(async () => {
      firstId = (await queue.enqueue('greet', { name: 'A', times: 1 }, { dedupKey: 'race', runAt: at })).id;
      await held; // keep the transaction open while the second enqueue waits on the key
    });
    await until(() => firstId !== undefined, 'the first enqueue');
    const second = queue.enqueue('greet', { name: 'B', times: 1 }, { dedupKey: 'race', runAt: at });
    await new Promise((r) => setTimeout(r, 100));
    releaseFirst();
    await first;
    expect(await second).toEqual({ id: firstId, deduplicated: true });
  });

  it('runs higher priorities first and delayed jobs only when due', async () => {
    const serialBusy = await queue.enqueue('slow', { label: 'blocker' });
    await until(() => seen.releaseSlow !== undefined, 'the blocker running');
    const delayed = await queue.enqueue('ordered', { label: 'delayed' }, { delay: 400 });
    await queue.enqueue('ordered', { label: 'low' }, { priority: 1 });
    await queue.enqueue('ordered', { label: 'high' }, { priority: 10 });
    await queue.enqueue('ordered', { label: 'mid' }, { priority: 5 });
    seen.releaseSlow!();
    await until(async () => (await state(delayed.id)) === 'completed', 'the delayed job');
    expect(seen.of('ordered').map((c) => (c.payload as { label: string }).label)).toEqual([
      'high',
      'mid',
      'low',
      'delayed',
    ]);
    const delayedCall = seen.of('ordered').at(-1)!;
    expect((await queue.job(serialBusy.id))!.state).toBe('completed');
    expect(delayedCall.at).toBeGreaterThan(0);
  });

  it('restores the enqueuer’s request context around the handler', async () => {
    const context = app.get(RequestContext);
    const { id } = await context.run(
      { requestId: 'req-from-http', tenant: { id: '00000000-0000-0000-0000-000000000001', slug: 'acme' } },
      () => queue.enqueue('greet', { name: 'Context', times: 1 }),
    );
    await until(async () => (await state(id)) === 'completed', 'context job');
    const call = seen.of('greet').find((c) => (c.payload as { name: string }).name === 'Context')!;
    expect(call).toMatchObject({ requestId: 'req-from-http', tenant: 'acme' });
  });

  it('puts back a job whose worker died (its lease expired) and runs it', async () => {
    const { id } = await queue.enqueue(
      'greet',
      { name: 'Orphan', times: 1 },
      { runAt: new Date(Date.now() + 3_600_000) },
    );
    // What a worker killed mid-job leaves: running, leased by a process that is gone.
    await app
      .get(TransactionManager)
      .manager.query(
        `UPDATE "kwik_jobs" SET "state" = 'running', "lockedBy" = 'dead-host:1:x', "lockedUntil" = now() - interval '1 second', "attempts" = 1, "runAt" = now() WHERE "id" = $1`,
        [id],
      );
    await until(async () => (await state(id)) === 'completed', 'the orphan completed');
    expect((await queue.job(id))!.attempts).toBe(2);
    expect(app.get(TaskWorker).stats.reclaimed).toBeGreaterThanOrEqual(1);
  });

  it('turns a @BackgroundTask() call into a job that runs the method with its arguments', async () => {
    const handlers = app.get(Handlers);
    const context = app.get(RequestContext);
    const job = (await context.run({ requestId: 'req-bg' }, () =>
      handlers.rebuild('acme', 3),
    )) as unknown as { id: string };
    expect(job.id).toMatch(/^\d+$/);
    await until(async () => (await state(job.id)) === 'completed', 'the background job');
    expect(seen.of('rebuild').at(-1)).toMatchObject({ payload: ['acme', 3], requestId: 'req-bg' });
    expect((await queue.job(job.id))!).toMatchObject({
      name: 'background:Handlers.rebuild',
      queue: 'serial',
      result: 'rebuilt acme ×3',
    });
  });

  it('reconnects after its database connections are cut (as by a database restart) and goes on', async () => {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // The pool replaces its broken connections; the LISTEN connection is opened again.
    let id: string | undefined;
    await until(
      async () => {
        try {
          id ??= (await queue.enqueue('greet', { name: 'After the cut', times: 1 })).id;
          return (await state(id)) === 'completed';
        } catch {
          return false;
        }
      },
      'a job after the cut',
      15_000,
    );
  });

  it('dead-letters a job whose worker died on its last attempt instead of retrying it forever', async () => {
    const { id } = await queue.enqueue(
      'greet',
      { name: 'Last try', times: 1 },
      { attempts: 1, runAt: new Date(Date.now() + 3_600_000) },
    );
    await app
      .get(TransactionManager)
      .manager.query(
        `UPDATE "kwik_jobs" SET "state" = 'running', "lockedBy" = 'dead-host:2:y', "lockedUntil" = now() - interval '1 second', "attempts" = 1 WHERE "id" = $1`,
        [id],
      );
    await until(async () => (await state(id)) === 'dead', 'the job out of attempts dead');
    expect((await queue.job(id))!.lastError!.message).toMatch(/lease expired/);
  });

  it('stores only who enqueued (id, tenant), not the whole principal', async () => {
    const context = app.get(RequestContext);
    const { id } = await context.run(
      {
        requestId: 'req-who',
        principal: { id: 'user-1', permissions: ['posts:read'], email: 'a@b.c' } as never,
      },
      () => queue.enqueue('greet', { name: 'Who', times: 1 }, { runAt: new Date(Date.now() + 3_600_000) }),
    );
    expect((await queue.job(id))!.context).toEqual({ requestId: 'req-who', principal: { id: 'user-1' } });
  });

  it('redrives one dead job per dedup key, none while a live job holds the key', async () => {
    const manager = app.get(TransactionManager).manager;
    const later = { dedupKey: 'nightly', runAt: new Date(Date.now() + 3_600_000) };
    const a = await queue.enqueue('greet', { name: 'A', times: 1 }, later);
    await manager.query(`UPDATE "kwik_jobs" SET "state" = 'dead', "finishedAt" = now() WHERE "id" = $1`, [
      a.id,
    ]);
    const b = await queue.enqueue('greet', { name: 'B', times: 1 }, later);
    await manager.query(`UPDATE "kwik_jobs" SET "state" = 'dead', "finishedAt" = now() WHERE "id" = $1`, [
      b.id,
    ]);
    const live = await queue.enqueue('greet', { name: 'C', times: 1 }, later);
    expect(await queue.redrive([a.id, b.id])).toBe(0); // C holds the key
    await manager.query(
      `UPDATE "kwik_jobs" SET "state" = 'cancelled', "finishedAt" = now() WHERE "id" = $1`,
      [live.id],
    );
    expect(await queue.redrive([a.id, b.id])).toBe(1); // one per key, no unique violation
    expect([(await queue.job(a.id))!.state, (await queue.job(b.id))!.state].sort()).toEqual([
      'dead',
      'pending',
    ]);
  });

  it('settles two concurrent redrives of one dedup key: one job back, no error', async () => {
    const { Client } = await import('pg');
    const { JobStore } = await import('@kwik/tasks');
    const manager = app.get(TransactionManager).manager;
    const later = { dedupKey: 'raced', runAt: new Date(Date.now() + 3_600_000) };
    const kill = (id: string) =>
      manager.query(`UPDATE "kwik_jobs" SET "state" = 'dead', "finishedAt" = now() WHERE "id" = $1`, [id]);
    const a = await queue.enqueue('greet', { name: 'A', times: 1 }, later);
    await kill(a.id);
    const b = await queue.enqueue('greet', { name: 'B', times: 1 }, later);
    await kill(b.id);
    const first = new Client({ connectionString: db.url });
    const second = new Client({ connectionString: db.url });
    await first.connect();
    await second.connect();
    try {
      const on = (c: InstanceType<typeof Client>) => ({
        query: (sql: string, params?: unknown[]) => c.query(sql, params).then((r) => r.rows),
      });
      // The first redrive holds its transaction open; the second waits on the dedup index for it.
      await first.query('BEGIN');
      expect(await JobStore.redrive(on(first), [a.id])).toBe(1);
      const racing = JobStore.redrive(on(second), [b.id]);
      await new Promise((r) => setTimeout(r, 200));
      await first.query('COMMIT');
      // Without the retry this rejected with a unique violation (a 500 in the operations API).
      expect(await racing).toBe(0);
      expect([(await queue.job(a.id))!.state, (await queue.job(b.id))!.state]).toEqual(['pending', 'dead']);
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('refuses payloads that are not JSON and job ids that are not ids', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(queue.enqueue('greet', circular)).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*must be JSON/,
    );
    await expect(queue.enqueue('greet', { n: 1n })).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*must be JSON/,
    );
    await expect(queue.job('abc')).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*a job id of the postgres driver is a positive whole number/,
    );
  });

  it('deletes finished jobs after their retention, keeping the rest', async () => {
    const manager = app.get(TransactionManager).manager;
    const old = await queue.enqueue('greet', { name: 'Old', times: 1 }, { delay: 3_600_000 });
    const oldDead = await queue.enqueue('greet', { name: 'Old dead', times: 1 }, { delay: 3_600_000 });
    const recentDead = await queue.enqueue('greet', { name: 'Recent dead', times: 1 }, { delay: 3_600_000 });
    await manager.query(
      `UPDATE "kwik_jobs" SET "state" = 'completed', "finishedAt" = now() - interval '8 days' WHERE "id" = $1`,
      [old.id],
    );
    await manager.query(
      `UPDATE "kwik_jobs" SET "state" = 'dead', "finishedAt" = now() - interval '31 days' WHERE "id" = $1`,
      [oldDead.id],
    );
    await manager.query(
      `UPDATE "kwik_jobs" SET "state" = 'dead', "finishedAt" = now() - interval '8 days' WHERE "id" = $1`,
      [recentDead.id],
    );
    expect(await app.get(TaskWorker).cleanup()).toBeGreaterThanOrEqual(2);
    expect(await queue.job(old.id)).toBeUndefined();
    expect(await queue.job(oldDead.id)).toBeUndefined();
    expect((await queue.job(recentDead.id))!.state).toBe('dead');
  });

  it.each([
    ['an unknown task', 'nope', {}, /no @Task\('nope'\) handler is declared/],
    ['a negative delay', 'greet', { delay: -5 }, /delay must be a number of ms ≥ 0/],
    ['zero attempts', 'greet', { attempts: 0 }, /attempts must be a whole number from 1 to 1000/],
    ['a bad queue name', 'greet', { queue: 'no spaces' }, /queue "no spaces"/],
  ])('refuses %s at enqueue', async (_name, task, options, message) => {
    const run = () => queue.enqueue(task, { name: 'x', times: 1 }, options);
    await expect(run()).rejects.toThrow(TasksError);
    await expect(run()).rejects.toThrow(message);
  });
});

describe('tasks on embedded PGlite (one connection)', () => {
  it('runs jobs promptly without LISTEN, and the connection stays free for everything else', async () => {
    // A poll far beyond the test: jobs run because a local enqueue wakes the workers at commit.
    const app = await startTasksApp('embedded', { pollIntervalMs: 600_000 });
    try {
      const queue = app.get(TaskQueue);
      const state = async (id: string) => (await queue.job(id))?.state;
      const direct = await queue.enqueue('greet', { name: 'Embedded', times: 1 });
      const tx = app.get(TransactionManager);
      const inTx = await tx.run(async () => (await queue.enqueue('greet', { name: 'InTx', times: 1 })).id);
      await until(async () => (await state(direct.id)) === 'completed', 'the direct job', 5000);
      await until(async () => (await state(inTx)) === 'completed', 'the transactional job', 5000);
      // Nothing holds PGlite's only connection: statements still run at once.
      expect(await tx.manager.query('SELECT 1 AS "one"')).toEqual([{ one: 1 }]);
      expect(app.get(TaskWorker).embedded).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('tasks: shutdown', () => {
  it('lets a running job finish before the app closes', async () => {
    const db = await createTestDatabase('tasks_shutdown');
    try {
      const app = await startTasksApp(db.url);
      const queue = app.get(TaskQueue);
      const seen = app.get(Seen);
      const { id } = await queue.enqueue('slow', { label: 'drain me' });
      await until(() => seen.releaseSlow !== undefined, 'the slow job running');
      setTimeout(() => seen.releaseSlow!(), 300);
      await app.close();
      const check = await startTasksApp(db.url, { worker: false });
      expect((await check.get(TaskQueue).job(id))!.state).toBe('completed');
      await check.close();
    } finally {
      await db.drop();
    }
  });

  it('releases the lease of a job still running at the timeout, so it runs again', async () => {
    const db = await createTestDatabase('tasks_release');
    try {
      const app = await startTasksApp(db.url, { shutdownTimeoutMs: 200 });
      const queue = app.get(TaskQueue);
      const seen = app.get(Seen);
      const { id } = await queue.enqueue('slow', { label: 'too slow' });
      await until(() => seen.releaseSlow !== undefined, 'the slow job running');
      await app.close();
      const check = await startTasksApp(db.url, { worker: false });
      expect(await check.get(TaskQueue).job(id)).toMatchObject({
        state: 'pending',
        attempts: 0,
        lockedBy: null,
      });
      await check.close();
      seen.releaseSlow!();
    } finally {
      await db.drop();
    }
  });

  it('fails at boot without the kwik_jobs table, saying which migration to add', async () => {
    const db = await createTestDatabase('tasks_noschema');
    try {
      const { Module } = await import('@nestjs/common');
      const { NestFactory } = await import('@nestjs/core');
      const { KwikModule } = await import('@kwik/core');
      const { DatabaseModule } = await import('@kwik/database');
      const { TasksModule } = await import('@kwik/tasks');
      @Module({
        imports: [
          KwikModule.forRoot({ docs: false }),
          DatabaseModule.forRoot({ url: db.url, logging: false }),
          TasksModule.forRoot({}),
        ],
      })
      class NoSchema {}
      await expect(NestFactory.createApplicationContext(NoSchema, { logger: false })).rejects.toThrow(
        /KWIK_TASKS_SCHEMA_MISSING.*TasksSchema1796000000000/,
      );
    } finally {
      await db.drop();
    }
  });
});

describe('tasks: cron', () => {
  it('fires each tick once across two instances', async () => {
    const { Injectable } = await import('@nestjs/common');
    const { Cron } = await import('@kwik/tasks');
    @Injectable()
    class EverySecond {
      constructor(private readonly seen: Seen) {}
      @Cron('* * * * * *', { name: 'every-second' })
      beat({ tick }: { tick: string }): void {
        this.seen.calls.push({ task: 'cron', payload: tick, at: Date.now() });
      }
    }
    const db = await createTestDatabase('tasks_cron');
    const a = await startTasksApp(db.url, {}, [EverySecond]);
    const b = await startTasksApp(db.url, {}, [EverySecond]);
    try {
      const ticks = () =>
        [...a.get(Seen).of('cron'), ...b.get(Seen).of('cron')].map((c) => c.payload as string);
      await until(() => new Set(ticks()).size >= 3, 'three ticks', 8000);
      await new Promise((r) => setTimeout(r, 300));
      const all = ticks();
      expect(new Set(all).size).toBe(all.length); // no tick ran twice
      for (const tick of all) expect(new Date(tick).getMilliseconds()).toBe(0);
      const recorded = await a
        .get(TransactionManager)
        .manager.query(
          `SELECT count(*)::int AS "n", count(DISTINCT "tick")::int AS "distinct" FROM "kwik_cron_ticks" WHERE "name" = 'every-second'`,
        );
      expect(recorded[0].n).toBe(recorded[0].distinct);
    } finally {
      await a.close();
      await b.close();
      await db.drop();
    }
  });

  it('refuses a malformed schedule at boot', async () => {
    const { Injectable } = await import('@nestjs/common');
    const { Cron } = await import('@kwik/tasks');
    @Injectable()
    class Broken {
      @Cron('every minute please')
      run(): void {}
    }
    const db = await createTestDatabase('tasks_badcron');
    try {
      await expect(startTasksApp(db.url, {}, [Broken])).rejects.toThrow(
        /KWIK_TASKS_INVALID_TASK.*@Cron\('every minute please'\) on Broken\.run/,
      );
    } finally {
      await db.drop();
    }
  });

  it('refuses a task declared on a malformed queue at boot', async () => {
    const { Injectable } = await import('@nestjs/common');
    const { Task } = await import('@kwik/tasks');
    @Injectable()
    class BadQueue {
      @Task('bad.queue', { queue: 'no spaces please' })
      run(): void {}
    }
    const db = await createTestDatabase('tasks_badqueue');
    try {
      await expect(startTasksApp(db.url, {}, [BadQueue])).rejects.toThrow(
        /KWIK_TASKS_INVALID_TASK.*@Task\('bad\.queue'\) on BadQueue\.run: queue "no spaces please"/,
      );
    } finally {
      await db.drop();
    }
  });
});
