import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { CronScheduler, FakeTaskBackend, TaskBackend, TaskQueue, TaskWorker } from '@kwik/tasks';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { Handlers, Seen, startTasksApp, tasksModule } from './fixtures/tasks-app.js';

describe('FakeTaskBackend (the queue fake for tests)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let queue: TaskQueue;
  let tasks: FakeTaskBackend;
  let seen: Seen;

  beforeAll(async () => {
    db = await createTestDatabase('tasks_fake');
    const moduleRef = await Test.createTestingModule({ imports: [tasksModule(db.url)] })
      .overrideProvider(TaskBackend)
      .useClass(FakeTaskBackend)
      .setLogger(false as never)
      .compile();
    app = await moduleRef.init();
    queue = app.get(TaskQueue);
    tasks = FakeTaskBackend.of(app);
    seen = app.get(Seen);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('records enqueued jobs and runs nothing until runNow()', async () => {
    tasks.clear();
    const { id } = await queue.enqueue('greet', { name: 'Ada', times: 2 });
    expect(id).toBe(tasks.jobs()[0]!.id);
    const [job] = tasks.expectEnqueued({ name: 'greet', payload: { name: 'Ada', times: 2 } }, 1);
    expect(job).toMatchObject({ state: 'pending', queue: 'default', attempts: 0 });
    expect(seen.of('greet').some((c) => (c.payload as { name: string }).name === 'Ada')).toBe(false);
    const ran = await tasks.runNow('greet');
    expect(ran.map((j) => j.id)).toEqual([id]);
    expect(await queue.job(id)).toMatchObject({ state: 'completed', attempts: 1, result: 'hello Ada ×2' });
    expect(seen.of('greet').at(-1)!.payload).toEqual({ name: 'Ada', times: 2 });
  });

  it('keeps the real validation in front of it, and validates payloads when it runs them', async () => {
    tasks.clear();
    await expect(queue.enqueue('nope', {})).rejects.toThrow(/KWIK_TASKS_UNKNOWN_TASK/);
    await expect(queue.enqueue('greet', { n: 1n })).rejects.toThrow(
      /KWIK_TASKS_INVALID_ENQUEUE.*must be JSON/,
    );
    const { id } = await queue.enqueue('greet', { name: 7, times: -1 });
    await tasks.runNow();
    expect(await queue.job(id)).toMatchObject({
      state: 'dead',
      lastError: { permanent: true, message: expect.stringMatching(/^invalid payload for greet/) },
    });
    expect((await tasks.failures(10)).map((j) => j.id)).toEqual([id]);
  });

  it('keeps a job enqueued in a transaction only if it commits, and dedup keys while pending', async () => {
    tasks.clear();
    const tx = app.get(TransactionManager);
    await expect(
      tx.run(async () => {
        await queue.enqueue('greet', { name: 'Ghost', times: 1 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    tasks.expectNothingEnqueued();
    await tx.run(async () => {
      await queue.enqueue('greet', { name: 'Kept', times: 1 }, { dedupKey: 'k' });
      // The same key again in the same transaction: the first job.
      expect(await queue.enqueue('greet', { name: 'Twice', times: 1 }, { dedupKey: 'k' })).toMatchObject({
        deduplicated: true,
      });
    });
    expect(await queue.enqueue('greet', { name: 'Again', times: 1 }, { dedupKey: 'k' })).toMatchObject({
      deduplicated: true,
    });
    tasks.expectEnqueued('greet', 1);
  });

  it('restores the enqueuer’s context with the job id, and runs jobs that jobs enqueue', async () => {
    tasks.clear();
    const job = (await app
      .get(RequestContext)
      .run({ requestId: 'req-fake' }, () => app.get(Handlers).rebuild('acme', 3))) as unknown as {
      id: string;
    };
    await tasks.runNow();
    expect(seen.of('rebuild').at(-1)).toMatchObject({ requestId: 'req-fake', jobId: job.id });
    expect(tasks.jobs('background:Handlers.rebuild')[0]).toMatchObject({
      state: 'completed',
      queue: 'serial',
    });
  });

  it('says what was enqueued when an expectation fails', async () => {
    tasks.clear();
    await queue.enqueue('greet', { name: 'Listed', times: 1 });
    expect(() => tasks.expectEnqueued('flaky')).toThrow(
      /Expected a job matching "flaky" to be enqueued, found 0\. Enqueued: greet \{"name":"Listed","times":1\} \(pending\)/,
    );
    expect(() => tasks.expectNothingEnqueued('greet')).toThrow(/Expected no job matching "greet"/);
    expect(() => tasks.expectEnqueued({ name: 'greet', payload: { name: 'Other' } })).toThrow(/found 0/);
  });

  it('starts no worker and no cron timers, and counts in the operations API’s words', async () => {
    // A row in kwik_jobs stays untouched for several poll intervals: no TaskWorker runs.
    const manager = app.get(TransactionManager).manager;
    const [row] = await manager.query(
      `INSERT INTO "kwik_jobs" ("queue", "name", "payload") VALUES ('default', 'greet', '{"name":"Db","times":1}') RETURNING "id"`,
    );
    await new Promise((r) => setTimeout(r, 600));
    const [after] = await manager.query(`SELECT "state" FROM "kwik_jobs" WHERE "id" = $1`, [row.id]);
    expect(after.state).toBe('pending');
    expect(app.get(TaskWorker).stats.claimed).toBe(0);
    expect(app.get(CronScheduler)).toBeDefined();
    const [counts] = await tasks.counts();
    expect(counts!.counts).toMatchObject({ waiting: 1 });
  });
});

describe('FakeTaskBackend.of()', () => {
  it('refuses an app that runs a real driver, saying how to override it', async () => {
    const db = await createTestDatabase('tasks_fake_real');
    const app = await startTasksApp(db.url, { worker: false });
    try {
      expect(() => FakeTaskBackend.of(app)).toThrow(
        /overrideProvider\(TaskBackend\)\.useClass\(FakeTaskBackend\)/,
      );
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
