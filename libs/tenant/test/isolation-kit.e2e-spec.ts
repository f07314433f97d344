import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertTenantIsolation,
  TenantIsolationError,
  type IsolationTenant,
  type TenantIsolationOptions,
  type TenantIsolationReport,
} from '@kwik/tenant';
import { bootTenantApp } from './fixtures/tenant-app.js';
import { bootRegistryApp } from './fixtures/tenant-registry-app.js';

/** The report `assertTenantIsolation` rejected with (fails the test when it resolved or threw something else). */
async function failedReport(
  options: TenantIsolationOptions,
): Promise<{ error: TenantIsolationError; report: TenantIsolationReport }> {
  const error = await assertTenantIsolation(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantIsolationError);
  return { error: error as TenantIsolationError, report: (error as TenantIsolationError).report };
}

describe('assertTenantIsolation on an isolated app (the shared-strategy fixture)', () => {
  let app: Awaited<ReturnType<typeof bootTenantApp>>;
  beforeAll(async () => {
    app = await bootTenantApp({}, 4);
  });
  afterAll(() => app?.close());

  it.each<[string, (slug: 'acme' | 'globex', id: string) => Record<string, string>]>([
    ['named by header', (slug) => ({ 'x-tenant-id': slug })],
    ['named by their credentials', (_slug, id) => ({ 'x-test-tenant-claim': id })],
  ])('passes with two tenants %s, reads and writes mixed', async (how, headersOf) => {
    const tenants: IsolationTenant[] = (['acme', 'globex'] as const).map((slug) => ({
      slug,
      id: app.tenants[slug],
      headers: headersOf(slug, app.tenants[slug]),
    }));
    const marker = how.split(' ').at(-1)!;
    const report = await assertTenantIsolation({
      baseUrl: app.baseUrl,
      tenants,
      perTenant: 30,
      concurrency: 8,
      requests: [
        { path: '/notes' },
        { path: '/notes/raw' },
        {
          method: 'POST',
          path: '/notes',
          body: (t, n) => ({ title: `${t.slug} ${marker} ${n}` }),
          expect: [201],
        },
      ],
    });
    expect(report.requests).toBe(60);
    expect(report.foreignRows).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.rowsChecked).toBeGreaterThan(60);

    // Every row the run wrote is stored under the tenant that wrote it.
    const { rows } = await app.sql.query<{ slug: string; title: string }>(
      `SELECT t.slug, n.title FROM t_notes n JOIN t_tenants t ON t.id = n."tenantId" WHERE n.title LIKE $1`,
      [`% ${marker} %`],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.title.startsWith(`${row.slug} `)).toBe(true);
  });
});

describe('assertTenantIsolation on a leaky app', () => {
  let app: Awaited<ReturnType<typeof bootRegistryApp>>;
  let tenants: IsolationTenant[];
  let idsOf: Record<string, string[]>;

  beforeAll(async () => {
    app = await bootRegistryApp();
    tenants = (['acme', 'globex'] as const).map((slug) => ({
      slug,
      id: app.tenants[slug],
      headers: { 'x-tenant-id': slug },
    }));
    const { rows } = await app.sql.query<{ id: string; slug: string }>(
      `SELECT n.id, t.slug FROM r_notes n JOIN r_tenants t ON t.id = n."tenantId"`,
    );
    idsOf = { acme: [], globex: [] };
    for (const row of rows) idsOf[row.slug]!.push(row.id);
  });
  afterAll(() => app?.close());

  it("fails with a TenantIsolationError listing every foreign row, by the rows' tenant column", async () => {
    const { error, report } = await failedReport({
      baseUrl: app.baseUrl,
      tenants,
      perTenant: 3,
      concurrency: 2,
      requests: [{ path: '/notes' }, { path: '/leaky/notes', weight: 2 }],
    });
    expect(report.failures).toEqual([]);
    expect(report.foreignRows.length).toBeGreaterThan(0);
    for (const foreign of report.foreignRows) {
      expect(foreign.path).toBe('/leaky/notes');
      expect(foreign.owner).toBe(foreign.tenant === 'acme' ? 'globex' : 'acme');
      expect(foreign.row.tenantId).toBe(app.tenants[foreign.owner as 'acme' | 'globex']);
      expect(foreign.row.title).toMatch(new RegExp(`^${foreign.owner} note`));
    }
    expect(new Set(report.foreignRows.map((f) => f.tenant))).toEqual(new Set(['acme', 'globex']));
    expect(error.message).toMatch(
      new RegExp(
        `^Tenant isolation failed: ${report.foreignRows.length} foreign row\\(s\\), 0 failed request\\(s\\) of 6\\.`,
      ),
    );
    expect(error.message).toMatch(
      /First foreign row: tenant (acme|globex) got a row of (acme|globex) from \/leaky\/notes/,
    );
  });

  it('counts exactly the foreign rows of each response', async () => {
    const { report } = await failedReport({
      baseUrl: app.baseUrl,
      tenants,
      perTenant: 3,
      concurrency: 1,
      requests: [{ path: '/leaky/notes' }],
    });
    // Six responses, each with the four notes of both tenants: two of them foreign.
    expect(report).toMatchObject({ requests: 6, rowsChecked: 24 });
    expect(report.foreignRows).toHaveLength(12);
  });

  it('catches rows without a tenant column by their ids, known before the run', async () => {
    const { report } = await failedReport({
      baseUrl: app.baseUrl,
      tenants,
      perTenant: 2,
      concurrency: 2,
      knownIds: idsOf,
      requests: [{ path: '/leaky/titles' }],
    });
    expect(report.foreignRows).toHaveLength(8);
    for (const foreign of report.foreignRows) {
      expect(foreign.row).not.toHaveProperty('tenantId');
      expect(idsOf[foreign.owner]).toContain(foreign.row.id);
      expect(foreign.owner).not.toBe(foreign.tenant);
    }
  });

  it('catches a row id shown to two tenants even when no ids were known before', async () => {
    const { report } = await failedReport({
      baseUrl: app.baseUrl,
      tenants,
      perTenant: 2,
      concurrency: 1,
      requests: [{ path: '/leaky/titles' }],
    });
    expect(report.foreignRows.length).toBeGreaterThan(0);
    for (const foreign of report.foreignRows) expect(foreign.owner).not.toBe(foreign.tenant);
  });

  it.each<[string, Partial<TenantIsolationOptions>, string, number, RegExp]>([
    [
      'a status other than the expected one',
      { requests: [{ path: '/notes', expect: [204] }] },
      '/notes',
      200,
      /note 1/,
    ],
    [
      'a route that does not exist',
      { requests: [{ path: '/notes/nowhere' }] },
      '/notes/nowhere',
      404,
      /not-found/,
    ],
  ])('reports %s in failures', async (_case, options, path, status, body) => {
    const { error, report } = await failedReport({
      baseUrl: app.baseUrl,
      tenants,
      perTenant: 2,
      concurrency: 2,
      requests: [],
      ...options,
    });
    expect(report.foreignRows).toEqual([]);
    expect(report.failures).toHaveLength(4);
    for (const failure of report.failures) {
      expect(failure).toMatchObject({ method: 'GET', path, status });
      expect(failure.body).toMatch(body);
    }
    expect(new Set(report.failures.map((f) => f.tenant))).toEqual(new Set(['acme', 'globex']));
    expect(error.message).toContain(`First failure: GET ${path} as`);
    expect(error.message).toContain(`→ ${status}`);
  });

  it('reports the requests of a tenant that does not resolve', async () => {
    const ghost: IsolationTenant = { slug: 'ghost', id: randomUUID(), headers: { 'x-tenant-id': 'ghost' } };
    const { report } = await failedReport({
      baseUrl: app.baseUrl,
      tenants: [tenants[0]!, ghost],
      perTenant: 2,
      requests: [{ path: '/notes' }],
    });
    expect(report.foreignRows).toEqual([]);
    expect(report.failures).toHaveLength(2);
    for (const failure of report.failures) {
      expect(failure).toMatchObject({ tenant: 'ghost', status: 404 });
      expect(failure.body).toContain('tenant-not-found');
    }
  });
});
