import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RequestContext } from '@kwik/core';
import { TaskQueue, type TasksModuleOptions } from '@kwik/tasks';
import { bootFixtureApp, type BootedApp } from '../../../test/support/boot-app.js';
import { Seen, bullmqOptions, dropPrefix, tasksHttpModule, until } from './fixtures/tasks-app.js';

/**
 * Driver, its options, an id it could issue but did not, how it answers a second cancel, and whose
 * jobs a tenant's caller's counts are.
 */
const DRIVERS: [string, TasksModuleOptions & { prefix?: string }, string, number, string][] = [
  ['postgres', {}, '999999', 409, 'tenant'],
  // BullMQ removes a cancelled job, and counts whole queues.
  ['bullmq', bullmqOptions('admin'), '0123456789abcdef01234567', 404, 'all'],
];

describe.each(DRIVERS)(
  'tasks operations API (/_kwik/tasks) on %s',
  (driver, options, unknownId, cancelAgain, countsScope) => {
    let booted: BootedApp;
    let app: NestFastifyApplication;
    let base: string;
    let queue: TaskQueue;
    const admin = { 'x-test-permissions': 'tasks:manage' };
    const call = async (method: string, path: string, headers: Record<string, string> = admin) => {
      const res = await fetch(`${base}/_kwik/tasks${path}`, { method, headers });
      return { status: res.status, body: (await res.json()) as any };
    };

    beforeAll(async () => {
      booted = await bootFixtureApp(`tasks_admin_${driver}`, (url) => tasksHttpModule(url, options));
      ({ app, baseUrl: base } = booted);
      queue = app.get(TaskQueue);
    });
    afterAll(async () => {
      await booted?.close();
      if (options.prefix) await dropPrefix(options.prefix);
    });

    it('counts jobs by queue and state, delayed ones apart', async () => {
      const done = await queue.enqueue('greet', { name: 'A', times: 1 });
      await queue.enqueue('greet', { name: 'Later', times: 1 }, { delay: 3_600_000 });
      await until(async () => (await queue.job(done.id))?.state === 'completed', 'a completed job');
      const { status, body } = await call('GET', '');
      expect(status).toBe(200);
      // DEMO.md's contract: { queues: [{ name, counts: { waiting, active, delayed, completed, failed } }] }
      expect(body.queues.map((q: { name: string }) => q.name)).toEqual(['default', 'serial']);
      expect(body.queues[0]).toEqual({
        name: 'default',
        counts: { waiting: 0, active: 0, delayed: 1, completed: 1, failed: 0, cancelled: 0 },
      });
      expect(body.worker).toMatchObject({ driver, stats: { completed: expect.any(Number) } });
      expect(body.worker.stats.completed).toBeGreaterThanOrEqual(1);
    });

    it('lists failures with their errors, redrives a dead job and cancels a pending one', async () => {
      app.get(Seen).failuresLeft.set('boom', 100);
      const dead = await queue.enqueue('flaky', { key: 'boom' });
      await until(async () => (await queue.job(dead.id))?.state === 'dead', 'a dead job');
      const failures = await call('GET', '/failures?limit=5');
      expect(failures.body.data.find((j: { id: string }) => j.id === dead.id)).toMatchObject({
        state: 'dead',
        attempts: 3,
        lastError: { message: expect.stringMatching(/flaky failure/) },
      });
      app.get(Seen).failuresLeft.set('boom', 0);
      const redriven = (await call('POST', `/jobs/${dead.id}/redrive`)).body;
      // Back on its queue with its attempts reset (a worker may already have taken it).
      expect(['pending', 'running', 'completed']).toContain(redriven.state);
      expect(redriven.attempts).toBeLessThanOrEqual(1);
      await until(async () => (await queue.job(dead.id))?.state === 'completed', 'the redriven job');
      expect((await call('POST', `/jobs/${dead.id}/redrive`)).status).toBe(409);

      const later = await queue.enqueue('greet', { name: 'Never', times: 1 }, { delay: 3_600_000 });
      expect((await call('POST', `/jobs/${later.id}/cancel`)).body).toMatchObject({ state: 'cancelled' });
      const again = await call('POST', `/jobs/${later.id}/cancel`);
      expect(again.status).toBe(cancelAgain);
      const running = await call('POST', `/jobs/${dead.id}/cancel`);
      expect(running.status).toBe(409);
      expect(running.body.detail).toBe(`Job ${dead.id} is completed: only a pending job can be cancelled.`);
    });

    it('shows a tenant’s caller only that tenant’s jobs; a caller outside tenants every job', async () => {
      const context = app.get(RequestContext);
      app.get(Seen).failuresLeft.set('tenant-a', 100);
      app.get(Seen).failuresLeft.set('tenant-b', 100);
      const inTenant = (slug: string, key: string) =>
        context.run({ requestId: `req-${slug}`, tenant: { id: `id-${slug}`, slug } }, () =>
          queue.enqueue('flaky', { key }),
        );
      const a = await inTenant('a', 'tenant-a');
      const b = await inTenant('b', 'tenant-b');
      await until(async () => (await queue.job(a.id))?.state === 'dead', 'tenant a’s dead job');
      await until(async () => (await queue.job(b.id))?.state === 'dead', 'tenant b’s dead job');
      const asA = { ...admin, 'x-test-tenant': 'a' };

      expect((await call('GET', `/jobs/${a.id}`, asA)).status).toBe(200);
      expect((await call('GET', `/jobs/${b.id}`, asA)).status).toBe(404);
      expect((await call('POST', `/jobs/${b.id}/redrive`, asA)).status).toBe(404);
      expect((await call('POST', `/jobs/${b.id}/cancel`, asA)).status).toBe(404);
      const failures = (await call('GET', '/failures?limit=50', asA)).body.data.map(
        (j: { id: string }) => j.id,
      );
      expect(failures).toContain(a.id);
      expect(failures).not.toContain(b.id);
      const overview = (await call('GET', '', asA)).body;
      expect(overview.scope).toEqual({ tenant: 'a', counts: countsScope });
      const failedSeen = overview.queues.find((q: { name: string }) => q.name === 'default').counts.failed;
      // One tenant's counts hold its one dead job; whole-queue counts hold more.
      expect(countsScope === 'tenant' ? failedSeen === 1 : failedSeen >= 2).toBe(true);

      const all = (await call('GET', '/failures?limit=50')).body.data.map((j: { id: string }) => j.id);
      expect(all).toEqual(expect.arrayContaining([a.id, b.id]));
      expect((await call('GET', '')).body.scope).toEqual({ tenant: null, counts: 'all' });
      expect((await call('GET', `/jobs/${b.id}`)).status).toBe(200);
    });

    it.each([
      ['no principal', {}, 401],
      ['a principal without the permission', { 'x-test-permissions': 'posts:read' }, 403],
      ['tasks:*', { 'x-test-permissions': 'tasks:*' }, 200],
    ])('answers %s with %i', async (_name, headers, status) => {
      expect((await call('GET', '', headers)).status).toBe(status);
    });

    it.each([
      ['GET', '/jobs/abc', 400],
      ['GET', `/jobs/${unknownId}`, 404],
      ['POST', `/jobs/${unknownId}/redrive`, 404],
      ['POST', '/jobs/0/cancel', 400],
      ['GET', '/jobs/a%20b', 400],
      ['GET', '/failures?limit=1000', 400],
    ])('%s %s → %i problem', async (method, path, status) => {
      const res = await fetch(`${base}/_kwik/tasks${path}`, { method, headers: admin });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  },
);
