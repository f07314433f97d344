/** A tenant the isolation check acts as. */
export interface IsolationTenant {
  /** The tenant's slug (reported) and id (compared with `ownerOf`). */
  readonly slug: string;
  readonly id: string;
  /** Headers of its requests: its credentials, `X-Tenant-ID`, ... */
  readonly headers: Readonly<Record<string, string>>;
}

/** One kind of request the check fires, as any tenant. */
export interface IsolationRequest {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The path (with query) for this tenant and request number. */
  readonly path: string | ((tenant: IsolationTenant, n: number) => string);
  /** JSON body for this tenant and request number. */
  readonly body?: (tenant: IsolationTenant, n: number) => unknown;
  /** Statuses that count as success. @default [200, 201, 204] */
  readonly expect?: readonly number[];
  /** How often this request is picked relative to the others. @default 1 */
  readonly weight?: number;
}

/** Options of {@link assertTenantIsolation}. */
export interface TenantIsolationOptions {
  /** Where the app listens (`http://127.0.0.1:3000`). */
  readonly baseUrl: string;
  readonly tenants: readonly IsolationTenant[];
  readonly requests: readonly IsolationRequest[];
  /** Requests per tenant. @default 100 */
  readonly perTenant?: number;
  /** Requests in flight at once, across tenants. @default 32 */
  readonly concurrency?: number;
  /** The rows of a response body. @default `body.data` when an array, an array body, else an object body with an `id` */
  readonly rowsOf?: (body: unknown) => readonly Record<string, unknown>[];
  /**
   * The tenant id a row belongs to, or undefined when the row does not say. @default `row.tenantId`.
   * Rows that do not say are checked by id against the ids each tenant has created or seen.
   */
  readonly ownerOf?: (row: Record<string, unknown>) => string | undefined;
  /** Ids known to belong to each tenant (by slug) before the run, e.g. seeded rows. */
  readonly knownIds?: Readonly<Record<string, Iterable<string>>>;
  /** Per-request timeout, ms. @default 10000 */
  readonly timeoutMs?: number;
}

/** What the run saw. */
export interface TenantIsolationReport {
  readonly requests: number;
  readonly rowsChecked: number;
  /** Rows a tenant received that belong to another. */
  readonly foreignRows: readonly {
    tenant: string;
    owner: string;
    path: string;
    row: Record<string, unknown>;
  }[];
  /** Requests that did not answer an expected status. */
  readonly failures: readonly {
    tenant: string;
    method: string;
    path: string;
    status: number;
    body: string;
  }[];
}

/** Thrown by {@link assertTenantIsolation} with the report attached. */
export class TenantIsolationError extends Error {
  constructor(readonly report: TenantIsolationReport) {
    super(
      `Tenant isolation failed: ${report.foreignRows.length} foreign row(s), ${report.failures.length} failed request(s) of ${report.requests}.` +
        (report.foreignRows[0]
          ? ` First foreign row: tenant ${report.foreignRows[0].tenant} got a row of ${report.foreignRows[0].owner} from ${report.foreignRows[0].path}.`
          : '') +
        (report.failures[0]
          ? ` First failure: ${report.failures[0].method} ${report.failures[0].path} as ${report.failures[0].tenant} → ${report.failures[0].status} ${report.failures[0].body.slice(0, 300)}`
          : ''),
    );
    this.name = 'TenantIsolationError';
  }
}

/**
 * Fires `perTenant` requests as each tenant, mixed and interleaved across tenants with
 * `concurrency` in flight, and checks that every row any response carries belongs to the tenant
 * that asked — by its tenant column, or by id against the rows each tenant created or was shown
 * (a row id seen by two tenants is a leak). Resolves with the report; rejects with a
 * {@link TenantIsolationError} on any foreign row or unexpected status.
 *
 * @example
 * await assertTenantIsolation({
 *   baseUrl, tenants, perTenant: 1000, concurrency: 32,
 *   requests: [
 *     { path: '/api/posts?limit=50' },
 *     { method: 'POST', path: '/api/posts', body: (t, n) => ({ title: `${t.slug} ${n}`, body: 'x' }), expect: [201] },
 *   ],
 * });
 */
export async function assertTenantIsolation(options: TenantIsolationOptions): Promise<TenantIsolationReport> {
  const perTenant = options.perTenant ?? 100;
  const concurrency = options.concurrency ?? 32;
  const rowsOf = options.rowsOf ?? defaultRows;
  const ownerOf = options.ownerOf ?? ((row) => (typeof row.tenantId === 'string' ? row.tenantId : undefined));
  const idOwner = new Map<string, string>();
  for (const [slug, ids] of Object.entries(options.knownIds ?? {}))
    for (const id of ids) idOwner.set(id, slug);
  const byId = new Map(options.tenants.map((t) => [t.id, t.slug]));
  const weights = options.requests.map((r) => r.weight ?? 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const foreignRows: TenantIsolationReport['foreignRows'][number][] = [];
  const failures: TenantIsolationReport['failures'][number][] = [];
  let rowsChecked = 0;

  // Interleaved plan: request n of tenant 0, of tenant 1, ... then n + 1; the kind by weight, deterministic.
  const plan: { tenant: IsolationTenant; n: number; request: IsolationRequest }[] = [];
  for (let n = 0; n < perTenant; n++)
    for (const [i, tenant] of options.tenants.entries()) {
      let pick = (((n * 7919 + i * 104729) % totalWeight) + totalWeight) % totalWeight;
      let k = 0;
      while (pick >= weights[k]!) pick -= weights[k++]!;
      plan.push({ tenant, n, request: options.requests[k]! });
    }

  const check = (tenant: IsolationTenant, path: string, row: Record<string, unknown>): void => {
    rowsChecked++;
    const owner = ownerOf(row);
    if (owner !== undefined) {
      if (owner !== tenant.id)
        foreignRows.push({ tenant: tenant.slug, owner: byId.get(owner) ?? owner, path, row });
      return;
    }
    const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : undefined;
    if (id === undefined) return;
    const seenBy = idOwner.get(id);
    if (seenBy === undefined) idOwner.set(id, tenant.slug);
    else if (seenBy !== tenant.slug) foreignRows.push({ tenant: tenant.slug, owner: seenBy, path, row });
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const { tenant, n, request } = plan[next++]!;
      const method = request.method ?? 'GET';
      const path = typeof request.path === 'function' ? request.path(tenant, n) : request.path;
      const body = request.body?.(tenant, n);
      const res = await fetch(new URL(path, options.baseUrl), {
        method,
        headers: { ...tenant.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (!(request.expect ?? [200, 201, 204]).includes(res.status)) {
        failures.push({ tenant: tenant.slug, method, path, status: res.status, body: text });
        continue;
      }
      if (!text || !(res.headers.get('content-type') ?? '').includes('json')) continue;
      for (const row of rowsOf(JSON.parse(text) as unknown)) check(tenant, path, row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  const report: TenantIsolationReport = { requests: plan.length, rowsChecked, foreignRows, failures };
  if (foreignRows.length > 0 || failures.length > 0) throw new TenantIsolationError(report);
  return report;
}

function defaultRows(body: unknown): readonly Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (body && typeof body === 'object') {
    const data = (body as { data?: unknown }).data;
    if (Array.isArray(data)) return data as Record<string, unknown>[];
    if ('id' in body) return [body as Record<string, unknown>];
  }
  return [];
}
