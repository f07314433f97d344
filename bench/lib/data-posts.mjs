// Data-shaping benchmark specifics (issue 3): its database and bulk posts, the two list
// endpoints (Kwik's shaped list, the hand-written Fastify + pg one), page checks, and the walk
// along `meta.nextCursor` to the deep page.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { POSTS_SQL } from './data-sql.mjs';
import { request } from './kwik.mjs';

export const DATA_DATABASE_URL =
  process.env.KWIK_BENCH_DATA_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kwik_bench_data';
export const SEED_CLI = 'apps/demo/dist/seed-cli.js';
export const TENANT = 'acme';
export const FIELDS = ['id', 'title', 'publishedAt'];
/** The deep page starts after this row of the published set (or at 90 % of a smaller set). */
export const DEEP_ROW = 90_000;
export const WALK_PAGE = 100; // the largest page both endpoints accept
const SEED_TIMEOUT_MS = 600_000;
const WALK_TIMEOUT_MS = 300_000;

const KWIK_LIST = '/api/posts?filter[status]=published&sort=-publishedAt&fields=id,title,publishedAt';

/** Kwik's shaped list; `after` is Kwik's opaque cursor, passed back as it came. */
export function kwikPath(limit, after) {
  return `${KWIK_LIST}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
}

/** The baseline's list (bench/servers/pg-posts.mjs): same rows, keyset or OFFSET paging. */
export function baselinePath(limit, { after, offset } = {}) {
  const extra = `${after ? `&after=${encodeURIComponent(after)}` : ''}${offset === undefined ? '' : `&offset=${offset}`}`;
  return `/posts?limit=${limit}${extra}`;
}

/** The baseline's cursor for the page after `row`: base64url JSON `[publishedAtIso, id]`. */
export function baselineCursor(row) {
  return Buffer.from(JSON.stringify([row.publishedAt, row.id])).toString('base64url');
}

/** The deep-page position: row 90,000, or 90 % of a published set too small for a page after it. */
export function deepRowFor(publishedRows, pageSize) {
  if (publishedRows >= DEEP_ROW + pageSize) return { row: DEEP_ROW, reduced: false };
  return { row: Math.floor(publishedRows * 0.9), reduced: true };
}

async function withClient(url, fn) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000, query_timeout: 120_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function countPosts(client, status) {
  const sql =
    `SELECT count(*)::int AS n FROM posts p JOIN tenants t ON t.id = p."tenantId" WHERE t.slug = $1` +
    (status ? ' AND p.status = $2' : '');
  const { rows } = await client.query(sql, status ? [TENANT, status] : [TENANT]);
  return rows[0].n;
}

/**
 * Top tenant acme up to `target` posts with the demo's seed CLI (only when it has fewer), then
 * ANALYZE posts. Needs the demo to have migrated and seeded the database once.
 * Returns { before, added, total, published, seedMs }.
 */
export async function preparePosts(root, url, target) {
  return withClient(url, async (client) => {
    const tenant = await client.query('SELECT 1 FROM tenants WHERE slug = $1', [TENANT]).catch(() => null);
    if (!tenant || tenant.rowCount === 0) {
      throw new Error(
        `no tenant "${TENANT}" in ${new URL(url).pathname.slice(1)}: the demo seeds it on its first start`,
      );
    }
    const before = await countPosts(client);
    let added = 0;
    let seedMs = null;
    if (before < target) {
      added = target - before;
      console.log(`  seeding ${added.toLocaleString('en-US')} posts into ${TENANT} (${SEED_CLI}) …`);
      const t0 = performance.now();
      const r = spawnSync('node', [SEED_CLI, '--tenant', TENANT, '--posts', String(added)], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url },
        encoding: 'utf8',
        timeout: SEED_TIMEOUT_MS,
      });
      seedMs = performance.now() - t0;
      if (r.error || r.status !== 0) {
        const why = r.error?.message ?? `exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(-1000)}`;
        throw new Error(`seeding failed: ${why}`);
      }
      console.log(`  ${r.stdout.trim()}`);
    }
    await client.query('ANALYZE posts');
    const total = await countPosts(client);
    const published = await countPosts(client, 'published');
    return { before, added, total, published, seedMs };
  });
}

/**
 * One GET, checked: status 200, JSON with a `data` array of `rows` rows (when given), each with
 * exactly the keys `keys` (when given). Resolves { ok, why, status, bytes, json, data }.
 */
export async function fetchPage(port, path, headers, { rows, keys } = {}) {
  let res;
  try {
    res = await request(port, path, { headers });
  } catch (err) {
    return { ok: false, why: err.message, status: null, bytes: 0, json: null, data: [] };
  }
  const out = { ok: false, status: res.status, bytes: Buffer.byteLength(res.body), json: null, data: [] };
  if (res.status !== 200) return { ...out, why: `status ${res.status}: ${res.body.slice(0, 300)}` };
  // A cached answer would measure the cache, not the query (the demo runs with KWIK_CACHE=false).
  const cache = res.headers['x-cache'];
  if (cache === 'HIT' || cache === 'STALE')
    return { ...out, why: `answered from the cache (X-Cache: ${cache})` };
  try {
    out.json = JSON.parse(res.body);
  } catch {
    return { ...out, why: `not JSON: ${res.body.slice(0, 200)}` };
  }
  if (!Array.isArray(out.json?.data)) return { ...out, why: `no "data" array: ${res.body.slice(0, 200)}` };
  out.data = out.json.data;
  if (rows !== undefined && out.data.length !== rows) {
    return { ...out, why: `${out.data.length} rows, expected ${rows}` };
  }
  if (keys) {
    const want = [...keys].sort().join(',');
    const bad = out.data.find(
      (r) =>
        Object.keys(r ?? {})
          .sort()
          .join(',') !== want,
    );
    if (bad) {
      return {
        ...out,
        why: `row keys ${Object.keys(bad ?? {}).join(',')}, expected exactly ${keys.join(',')}`,
      };
    }
  }
  return { ...out, ok: true, why: null };
}

/**
 * Follow `meta.nextCursor` from page 1 until `rowIndex` rows have been seen (pages of
 * WALK_PAGE rows, the last one shortened so it ends exactly on that row). Bounded in pages and
 * time; a duplicate row, a short page or a missing cursor before the row is an error.
 * pathFor(limit, cursor) builds the URL. Resolves { cursor, row, pages, rows, ms }: `cursor`
 * is the server's own cursor for the page after `row`, the last row walked.
 */
export async function walkCursors(port, pathFor, headers, rowIndex) {
  const t0 = performance.now();
  const maxPages = Math.ceil(rowIndex / WALK_PAGE) + 1;
  const seen = new Set();
  let cursor = null;
  let row = null;
  let pages = 0;
  while (seen.size < rowIndex) {
    if (pages >= maxPages) throw new Error(`walk: ${pages} pages without reaching row ${rowIndex}`);
    if (performance.now() - t0 > WALK_TIMEOUT_MS) {
      throw new Error(`walk: not at row ${rowIndex} after ${WALK_TIMEOUT_MS / 1000} s (${seen.size} rows)`);
    }
    const limit = Math.min(WALK_PAGE, rowIndex - seen.size);
    const page = await fetchPage(port, pathFor(limit, cursor), headers, { rows: limit });
    if (!page.ok) throw new Error(`walk: page ${pages + 1} (after row ${seen.size}): ${page.why}`);
    for (const r of page.data) {
      if (seen.has(r.id)) throw new Error(`walk: row ${r.id} came twice (by row ${seen.size})`);
      seen.add(r.id);
    }
    pages++;
    row = page.data[page.data.length - 1];
    cursor = page.json.meta?.nextCursor ?? null;
    if (!cursor) throw new Error(`walk: no meta.nextCursor after row ${seen.size}`);
  }
  return { cursor, row, pages, rows: seen.size, ms: performance.now() - t0 };
}

/** "Limit > Index Scan using x": the node types down the plan's first branch; sorts anywhere. */
function summarisePlan(plan) {
  const chain = [];
  let sorts = false;
  const visit = (node, first) => {
    if (node['Node Type'].endsWith('Sort')) sorts = true;
    if (first) chain.push(node['Node Type'] + (node['Index Name'] ? ` using ${node['Index Name']}` : ''));
    (node.Plans ?? []).forEach((child, i) => visit(child, first && i === 0));
  };
  visit(plan, true);
  return { plan: chain.join(' > '), sorts };
}

/**
 * PostgreSQL's plans (EXPLAIN, not executed) for the baseline's page 1, keyset page after `row`
 * and OFFSET `offset`: a Sort in page 1's plan means no index serves the order, and every
 * request reads and sorts the tenant's whole published set.
 */
export async function explainPlans(url, { row, offset, limit }) {
  return withClient(url, async (client) => {
    const { rows } = await client.query('SELECT id FROM tenants WHERE slug = $1', [TENANT]);
    const base = [rows[0].id, 'published', limit + 1];
    const explain = async (sql, values) => {
      const res = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
      return summarisePlan(res.rows[0]['QUERY PLAN'][0].Plan);
    };
    return {
      page1: await explain(POSTS_SQL.page, base),
      keyset: await explain(POSTS_SQL.after, [...base, row.publishedAt, row.id]),
      offset: await explain(POSTS_SQL.offset, [...base, offset]),
    };
  });
}
