import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestContext, type ContextLogFields } from '@kwik/core';
import { SqlObserver, TransactionManager } from '@kwik/database';
import {
  TenantContext,
  TenantDirectory,
  TenantError,
  TenantErrorCode,
  TenantRegistry,
  type TenantSnapshot,
} from '@kwik/tenant';
import { RegistryNote, bootRegistryApp } from './fixtures/tenant-registry-app.js';

type App = Awaited<ReturnType<typeof bootRegistryApp>>;

/** Expects `work` to reject with KWIK_TENANT_NOT_RESOLVED and a message matching `message`. */
async function expectNotResolved(work: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantError);
  expect(error).toMatchObject({
    code: TenantErrorCode.NotResolved,
    message: expect.stringMatching(message),
  });
}

describe('TenantContext and TenantDirectory beyond HTTP', () => {
  let app: App;
  let tenants: TenantContext;
  let context: RequestContext;
  let registry: TenantRegistry;
  const notes = () => app.app.get(TransactionManager).getRepository(RegistryNote);
  const titles = async () => (await notes().find({ order: { title: 'ASC' } })).map((n) => n.title);
  const rawTitles = async () =>
    (
      (await app.app.get(DataSource).query('SELECT title FROM r_notes ORDER BY title')) as { title: string }[]
    ).map((r) => r.title);
  const currentUser = async () =>
    ((await app.app.get(DataSource).query('SELECT current_user AS "user"')) as { user: string }[])[0]!.user;

  beforeAll(async () => {
    app = await bootRegistryApp();
    tenants = app.app.get(TenantContext);
    context = app.app.get(RequestContext);
    registry = app.app.get(TenantRegistry);
  });
  afterAll(() => app?.close());

  /** Runs `fn` and counts the statements that read the tenant registry meanwhile. */
  async function registryQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
    let queries = 0;
    const off = app.app.get(SqlObserver).subscribe((event) => {
      if (event.sql.includes('r_tenants')) queries++;
    });
    try {
      return { result: await fn(), queries };
    } finally {
      off();
    }
  }

  describe('capture() and run()', () => {
    it('captures the tenant of a request as plain JSON; the request logs carry it', async () => {
      const res = await fetch(`${app.baseUrl}/platform/capture`, { headers: { 'x-tenant-id': 'acme' } });
      const body = (await res.json()) as { snapshot: TenantSnapshot; log: ContextLogFields };
      expect(body.snapshot).toEqual({ id: app.tenants.acme, slug: 'acme' });
      expect(body.log).toMatchObject({ tenantId: app.tenants.acme, requestId: expect.any(String) });
    });

    it("runs a job for a captured tenant outside any request: only its rows, its logs, the app's role", async () => {
      const res = await fetch(`${app.baseUrl}/platform/capture`, { headers: { 'x-tenant-id': 'acme' } });
      const { snapshot } = (await res.json()) as { snapshot: TenantSnapshot };
      expect(context.active).toBe(false);

      const seen = await tenants.run(snapshot, async () => ({
        titles: await titles(),
        raw: await rawTitles(),
        user: await currentUser(),
        current: tenants.current?.slug,
        contextTenant: context.tenant?.id,
        log: context.logFields(),
      }));
      expect(seen).toEqual({
        titles: ['acme note 1', 'acme note 2'],
        raw: ['acme note 1', 'acme note 2'],
        user: 'kwik_app',
        current: 'acme',
        contextTenant: app.tenants.acme,
        log: { requestId: expect.any(String), tenantId: app.tenants.acme },
      });
      expect(context.active).toBe(false);
      expect(tenants.current).toBeUndefined();
    });

    it('runs by slug too, and rows written in the job are stamped with its tenant', async () => {
      const created = await tenants.run('globex', async () => {
        const repository = notes();
        return repository.save(repository.create({ title: 'globex from a job' }));
      });
      expect(created.tenantId).toBe(app.tenants.globex);
      expect(await tenants.run('globex', titles)).toEqual([
        'globex from a job',
        'globex note 1',
        'globex note 2',
      ]);
      expect(await tenants.run('acme', titles)).toEqual(['acme note 1', 'acme note 2']);
    });

    it('keeps the request id and principal of the context it is called in', async () => {
      const log = await context.run({ requestId: 'job-42', principal: { id: 'worker' } }, () =>
        tenants.run({ id: app.tenants.acme, slug: 'acme' }, () => context.logFields()),
      );
      expect(log).toEqual({ requestId: 'job-42', userId: 'worker', tenantId: app.tenants.acme });
    });

    it('refuses to run the job of a deleted tenant (KWIK_TENANT_NOT_RESOLVED) without running it', async () => {
      const tenant = await registry.provision({ slug: 'ephemeral', name: 'Ephemeral' });
      const snapshot = await tenants.run({ id: tenant.id, slug: tenant.slug }, () => tenants.capture()!);
      await registry.deprovision('ephemeral');
      let ran = 0;
      const job = () => {
        ran++;
      };
      await expectNotResolved(tenants.run(snapshot, job), /ephemeral .*no longer exists/);
      await expectNotResolved(tenants.run('ephemeral', job), /no longer exists/);
      await expectNotResolved(
        tenants.run({ id: randomUUID(), slug: 'ghost' }, job),
        /ghost .*no longer exists/,
      );
      expect(ran).toBe(0);
    });

    it('refuses to run the job of a suspended tenant, and runs it again once reactivated', async () => {
      const tenant = await registry.provision({ slug: 'dormant', name: 'Dormant' });
      const snapshot = { id: tenant.id, slug: tenant.slug };
      await registry.update('dormant', { status: 'suspended' });
      let ran = 0;
      await expectNotResolved(
        tenants.run(snapshot, () => ran++),
        /dormant .*is suspended/,
      );
      expect(ran).toBe(0);
      await registry.update('dormant', { status: 'active' });
      expect(await tenants.run(snapshot, () => tenants.current?.slug)).toBe('dormant');
    });
  });

  describe('runAsSystem()', () => {
    it("sees every tenant's rows, as the connecting user, outside any request", async () => {
      const all = await tenants.runAsSystem(titles);
      expect(all).toEqual(
        expect.arrayContaining(['acme note 1', 'acme note 2', 'globex note 1', 'globex note 2']),
      );
      expect(await tenants.runAsSystem(currentUser)).not.toBe('kwik_app');
    });

    it("steps out of a tenant's scope inside its job, and back in after", async () => {
      const seen = await tenants.run('acme', async () => ({
        system: await tenants.runAsSystem(rawTitles),
        after: await rawTitles(),
      }));
      expect(seen.system).toEqual(expect.arrayContaining(['acme note 1', 'globex note 1']));
      expect(seen.after).toEqual(['acme note 1', 'acme note 2']);
    });

    it("steps out of a request's tenant scope on purpose", async () => {
      const res = await fetch(`${app.baseUrl}/platform/system-count`, { headers: { 'x-tenant-id': 'acme' } });
      const { rows } = await app.sql.query(`SELECT count(*)::int AS n FROM r_notes`);
      expect(await res.json()).toEqual({ scoped: 2, system: rows[0].n });
    });
  });

  describe('require()', () => {
    it.each<[string, () => unknown]>([
      ['outside any context', () => tenants.require()],
      [
        'in a job context without a tenant',
        () => context.run({ requestId: 'job-1' }, () => tenants.require()),
      ],
    ])('throws KWIK_TENANT_NOT_RESOLVED %s', (_where, call) => {
      expect(call).toThrow(TenantError);
      expect(call).toThrow(expect.objectContaining({ code: TenantErrorCode.NotResolved }));
      expect(tenants.current).toBeUndefined();
      expect(tenants.capture()).toBeUndefined();
    });
  });

  describe('TenantDirectory caching', () => {
    let directory: TenantDirectory;
    beforeAll(() => {
      directory = app.app.get(TenantDirectory);
    });

    it('asks the database once for a slug asked twice, and not at all for its id afterwards', async () => {
      directory.clear();
      const twice = await registryQueries(async () => [
        await directory.find({ slug: 'acme' }),
        await directory.find({ slug: 'acme' }),
      ]);
      expect(twice.queries).toBe(1);
      expect(twice.result[0]).toMatchObject({ id: app.tenants.acme, slug: 'acme', status: 'active' });
      expect(twice.result[1]).toBe(twice.result[0]);
      const byId = await registryQueries(() => directory.find({ id: app.tenants.acme }));
      expect(byId).toEqual({ result: twice.result[0], queries: 0 });
    });

    it('shares one query between concurrent lookups of the same tenant', async () => {
      directory.clear();
      const concurrent = await registryQueries(() =>
        Promise.all(Array.from({ length: 5 }, () => directory.find({ slug: 'globex' }))),
      );
      expect(concurrent.queries).toBe(1);
      expect(new Set(concurrent.result).size).toBe(1);
      expect(concurrent.result[0]).toMatchObject({ slug: 'globex' });
    });

    it('remembers an unknown slug as unknown', async () => {
      const unknown = await registryQueries(async () => [
        await directory.find({ slug: 'no-such-tenant' }),
        await directory.find({ slug: 'no-such-tenant' }),
      ]);
      expect(unknown).toEqual({ result: [null, null], queries: 1 });
      expect(directory.peek({ slug: 'no-such-tenant' })).toBeNull();
    });

    it('answers an id that is not a uuid without asking the database', async () => {
      expect(await registryQueries(() => directory.find({ id: 'not-a-uuid' }))).toEqual({
        result: null,
        queries: 0,
      });
    });

    it('resolves the tenant of repeated requests with one registry query', async () => {
      directory.clear();
      const requests = await registryQueries(async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++)
          statuses.push(
            (await fetch(`${app.baseUrl}/notes`, { headers: { 'x-tenant-id': 'globex' } })).status,
          );
        return statuses;
      });
      expect(requests).toEqual({ result: [200, 200, 200], queries: 1 });
    });

    it('forgets a tenant the registry changes, on this instance, at once', async () => {
      const before = await directory.find({ slug: 'acme' });
      await registry.update('acme', { name: 'Acme Incorporated' });
      const after = await registryQueries(() => directory.find({ slug: 'acme' }));
      expect(before?.name).not.toBe('Acme Incorporated');
      expect(after.result?.name).toBe('Acme Incorporated');
      expect(after.queries).toBe(1);
    });
  });
});
