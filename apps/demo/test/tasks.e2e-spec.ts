import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProblemException } from '@kwik/core';
import { AuthHooks } from '@kwik/auth';
import { TaskQueue, TaskRegistry, type JobRow } from '@kwik/tasks';
import { quoteSchemaName, tenantSchemaName } from '@kwik/tenant';
import type { TestClient } from '@kwik/testing';
import { ArchiveDraftsTask } from '../src/tasks/archive-drafts.task.js';
import { DEMO_USERS, startDemo, STRATEGIES, type DemoStrategy, type DemoUnderTest } from './support.js';

const PASSWORD = 'a long enough passphrase 42';
const DAY = 86_400_000;

/** Where a tenant's posts are: the one shared table, or the tenant's own schema. */
const postsOf = (strategy: DemoStrategy, slug: string): string =>
  strategy === 'schema' ? `${quoteSchemaName(tenantSchemaName(slug))}.posts` : 'posts';

/** Polls `check` until it answers something (bounded): no fixed sleeps. */
async function until<T>(check: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The BullMQ runs' Redis: a database of their own, so their `kwik:default` queue meets no other test's. */
const BULLMQ_REDIS = `${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}/9`;
type Driver = 'postgres' | 'bullmq';
/** DEMO.md: "the same demo and the same e2e suite on either" driver, under both strategies. */
const RUNS: [DemoStrategy, Driver][] = STRATEGIES.flatMap((s) => [
  [s, 'postgres'] as [DemoStrategy, Driver],
  [s, 'bullmq'] as [DemoStrategy, Driver],
]);

/** A job as the suite looks for it, whichever driver stored it. */
interface FoundJob {
  id: string;
  dedupKey: string | null;
  payload: unknown;
}

/** DEMO.md "Operations": the welcome mail on register, the nightly cron, `/_kwik/tasks`. */
describe.each(RUNS)('demo: background tasks, %s strategy, %s driver', (strategy, driver) => {
  let demo: DemoUnderTest;
  let sql: Client;
  let queue: TaskQueue;
  let bull: Queue | undefined;
  /** admin@acme.test in acme (the admin role has `tasks:manage`). */
  let api: TestClient;

  beforeAll(async () => {
    if (driver === 'bullmq') {
      bull = new Queue('default', { connection: { url: BULLMQ_REDIS }, prefix: 'kwik' });
      await bull.obliterate({ force: true });
    }
    demo = await startDemo(strategy, {
      env: driver === 'bullmq' ? { KWIK_TASKS_DRIVER: 'bullmq', REDIS_URL: BULLMQ_REDIS } : {},
      // Every JSON response is checked against the demo's OpenAPI document (of its api-version).
      client: { validateResponses: true },
    });
    api = demo.client.asTenant('acme').as(DEMO_USERS.acme.admin);
    sql = new Client({ connectionString: demo.databaseUrl });
    await sql.connect();
    queue = demo.app.get(TaskQueue);
  });
  afterAll(async () => {
    await sql?.end();
    await demo?.close();
    await bull?.obliterate({ force: true });
    await bull?.close();
  });

  /** The `mail.welcome` jobs (of one user, or all), read from the driver's own store. */
  const welcomeJobsOf = async (userId?: string): Promise<FoundJob[]> => {
    if (!bull) {
      const { rows } = await sql.query<FoundJob>(
        `SELECT id::text, "dedupKey", payload FROM kwik_jobs WHERE name = 'mail.welcome' AND ($1::text IS NULL OR payload->>'userId' = $1)`,
        [userId ?? null],
      );
      return rows;
    }
    const jobs = await bull.getJobs(['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed']);
    return jobs
      .filter((j) => j.name === 'mail.welcome')
      .map((j) => ({
        id: j.id!,
        dedupKey: j.deduplicationId ?? j.opts.deduplication?.id ?? null,
        payload: (j.data as { payload: unknown }).payload,
      }))
      .filter((j) => userId === undefined || (j.payload as { userId?: string }).userId === userId);
  };

  const register = (tenant: string, email: string) =>
    demo.client.asTenant(tenant).post<{ user: { id: string } }>('/api/auth/register', {
      email,
      password: PASSWORD,
      displayName: 'Newcomer',
    });
  const welcomeJobs = async (): Promise<number> => (await welcomeJobsOf()).length;
  /** The welcome job of each tenant's newcomer (set by the registration test). */
  const welcomeIds = new Map<string, string>();
  const finished = (id: string): Promise<JobRow> =>
    until(async () => {
      const job = await queue.job(id);
      return job && ['completed', 'dead'].includes(job.state) ? job : undefined;
    }, `job ${id} to finish`);

  it.each(['acme', 'globex'])(
    'POST /api/auth/register in %s enqueues mail.welcome, which a worker sends as that tenant',
    async (tenant) => {
      const log = vi.spyOn(Logger.prototype, 'log');
      try {
        const email = `newcomer@${tenant}.test`;
        const userId = (await register(tenant, email)).expectStatus(201).body.user.id;
        // Enqueued in the registration's transaction: there once register has answered.
        const rows = await welcomeJobsOf(userId);
        expect(rows).toEqual([
          { id: expect.any(String), dedupKey: `welcome:${userId}`, payload: { userId } },
        ]);
        welcomeIds.set(tenant, rows[0]!.id);
        const job = await finished(rows[0]!.id);
        // The handler found the user: it ran with the registering request's tenant restored.
        expect(job).toMatchObject({
          state: 'completed',
          attempts: 1,
          result: { to: email },
          context: { tenant: { slug: tenant } },
        });
        expect(log).toHaveBeenCalledWith(`welcome mail for ${email}`);
      } finally {
        log.mockRestore();
      }
    },
  );

  it('enqueues nothing when the registration fails: a taken email (409), or a refusal after the enqueue', async () => {
    const before = await welcomeJobs();
    (await register('acme', 'reader@acme.test')).expectProblem(409);
    // A hook registered after the demo's own runs after its enqueue, in the same transaction.
    const remove = demo.app.get(AuthHooks).register({
      name: 'test-refuses',
      onRegistered: () => {
        throw new ProblemException({ status: 422, kind: 'refused', title: 'Unprocessable', detail: 'No.' });
      },
    });
    try {
      (await register('acme', 'refused@acme.test')).expectProblem(422);
    } finally {
      remove();
    }
    expect(await welcomeJobs()).toBe(before);
    const users = await sql.query(`SELECT 1 FROM users WHERE email = 'refused@acme.test'`);
    expect(users.rows).toHaveLength(0);
  });

  it('serves GET /_kwik/tasks to admins in the contract shape; 403 for a reader, 401 anonymous', async () => {
    const body = (
      await api.get<{ queues: { name: string; counts: Record<string, number> }[] }>('/_kwik/tasks')
    ).expectStatus(200).body;
    expect(Array.isArray(body.queues)).toBe(true);
    for (const q of body.queues)
      expect(q).toMatchObject({
        name: expect.any(String),
        counts: {
          waiting: expect.any(Number),
          active: expect.any(Number),
          delayed: expect.any(Number),
          completed: expect.any(Number),
          failed: expect.any(Number),
        },
      });
    expect(body.queues.find((q) => q.name === 'default')?.counts.completed).toBeGreaterThanOrEqual(1);

    // An acme admin sees acme's jobs, never globex's (they do not exist for it).
    const own = (await api.get<JobRow>(`/_kwik/tasks/jobs/${welcomeIds.get('acme')}`)).expectStatus(200);
    expect(own.body.name).toBe('mail.welcome');
    (await api.get(`/_kwik/tasks/jobs/${welcomeIds.get('globex')}`)).expectProblem(404);

    (await demo.client.getAs(DEMO_USERS.acme.reader, '/_kwik/tasks')).expectProblem(403);
    (await demo.client.get('/_kwik/tasks')).expectProblem(401);
  });

  it('schedules posts.archive-drafts nightly at 03:00 UTC', () => {
    const cron = demo.app.get(TaskRegistry).crons.find((c) => c.name === 'posts.archive-drafts');
    expect(cron).toMatchObject({
      task: 'cron:posts.archive-drafts',
      expression: '0 3 * * *',
      timezone: 'UTC',
    });
    expect(cron!.next(new Date('2026-06-01T12:00:00Z'))).toEqual(new Date('2026-06-02T03:00:00Z'));
  });

  describe('posts.archive-drafts', () => {
    const tenants: { id: string; slug: string; authorId: string }[] = [];
    const now = Date.now();
    /**
     * Inserts a post as the database owner (no tenant scope) and returns its id. SQL, not a factory:
     * the rows are back-dated to the exact day (`updatedAt` is what the task reads), and one goes to
     * a suspended tenant, whose scope `TenantContext.run()` refuses to enter.
     */
    const insertPost = async (t: (typeof tenants)[number], status: string, ageDays: number) => {
      const at = new Date(now - ageDays * DAY);
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO ${postsOf(strategy, t.slug)} ("tenantId", "authorId", title, body, status, version, "createdAt", "updatedAt")
         VALUES ($1, $2, $3, 'text', $4, 1, $5, $5) RETURNING id`,
        [t.id, t.authorId, `${status} ${ageDays} days old`, status, at],
      );
      return rows[0]!.id;
    };
    const post = async (t: (typeof tenants)[number], id: string) =>
      (
        await sql.query<{ status: string; version: number }>(
          `SELECT status, version FROM ${postsOf(strategy, t.slug)} WHERE id = $1`,
          [id],
        )
      ).rows[0];
    const staleDrafts = async (t: (typeof tenants)[number]) =>
      Number(
        (
          await sql.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${postsOf(strategy, t.slug)} WHERE "tenantId" = $1 AND status = 'draft' AND "updatedAt" < $2`,
            [t.id, new Date(now - 90 * DAY)],
          )
        ).rows[0]!.n,
      );

    beforeAll(async () => {
      const { rows } = await sql.query<{ id: string; slug: string; authorId: string }>(
        `SELECT t.id, t.slug, (SELECT u.id FROM users u WHERE u."tenantId" = t.id ORDER BY u.email LIMIT 1) AS "authorId"
           FROM tenants t ORDER BY t.slug`,
      );
      tenants.push(...rows);
    });

    it("archives every tenant's drafts older than ARCHIVE_DRAFTS_AFTER_DAYS (90), nothing else", async () => {
      expect(tenants.map((t) => t.slug)).toEqual(['acme', 'globex']);
      const ids = new Map<string, { oldDraft: string; recentDraft: string; oldPublished: string }>();
      for (const t of tenants)
        ids.set(t.slug, {
          oldDraft: await insertPost(t, 'draft', 200),
          recentDraft: await insertPost(t, 'draft', 10),
          oldPublished: await insertPost(t, 'published', 200),
        });
      let expected = 0;
      for (const t of tenants) expected += await staleDrafts(t);
      expect(expected).toBeGreaterThanOrEqual(tenants.length);

      const handler = demo.app.get(ArchiveDraftsTask);
      const result = await handler.archiveDrafts({ tick: new Date(now).toISOString() });
      expect(result).toEqual({ archived: expected });
      for (const t of tenants) {
        const own = ids.get(t.slug)!;
        expect(await post(t, own.oldDraft)).toEqual({ status: 'archived', version: 2 });
        expect(await post(t, own.recentDraft)).toEqual({ status: 'draft', version: 1 });
        expect(await post(t, own.oldPublished)).toEqual({ status: 'published', version: 1 });
        expect(await staleDrafts(t)).toBe(0);
      }
      // Run again for the same tick (a retry): nothing left to archive.
      expect(await handler.archiveDrafts({ tick: new Date(now).toISOString() })).toEqual({ archived: 0 });
    });

    it('runs as a job of its cron task, entering each tenant itself (a tick has no tenant)', async () => {
      const drafts = [];
      for (const t of tenants) drafts.push({ t, id: await insertPost(t, 'draft', 120) });
      const { id } = await queue.enqueue('cron:posts.archive-drafts', { tick: new Date(now).toISOString() });
      const job = await finished(id);
      expect(job).toMatchObject({ state: 'completed', result: { archived: tenants.length }, context: null });
      for (const { t, id: postId } of drafts) expect((await post(t, postId))?.status).toBe('archived');
    });

    it("leaves a suspended tenant's drafts alone", async () => {
      (await api.post('/api/tenants', { slug: 'initech', name: 'Initech' })).expectStatus(201);
      (await api.patch('/api/tenants/initech', { status: 'suspended' })).expectStatus(200);
      const { rows } = await sql.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'initech'`);
      const initech = { id: rows[0]!.id, slug: 'initech', authorId: tenants[0]!.authorId };
      const draft = await insertPost(initech, 'draft', 365);
      const result = await demo.app
        .get(ArchiveDraftsTask)
        .archiveDrafts({ tick: new Date(now).toISOString() });
      expect(result).toEqual({ archived: 0 });
      expect(await post(initech, draft)).toEqual({ status: 'draft', version: 1 });
    });
  });
});
