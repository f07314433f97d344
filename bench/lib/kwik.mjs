// Kwik-demo specifics: the benchmark database, the login headers, a response sanity check.
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import http from 'node:http';
import { Client } from 'pg';

// Overridable to benchmark another build of the demo (a path relative to the repo root).
export const DEMO_ENTRY = process.env.KWIK_BENCH_DEMO ?? 'apps/demo/dist/bundle/main.mjs';
export const DATABASE_URL =
  process.env.KWIK_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kwik_bench';
const TENANT = 'acme';

/**
 * The environment every benchmark gives a Kwik server: production mode, the bench secret, the
 * log level of KWIK_BENCH_LOG_LEVEL, plus `extra` (database, ports, ...).
 */
export function kwikServerEnv(extra = {}) {
  return {
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.KWIK_BENCH_LOG_LEVEL ?? 'info',
    NODE_ENV: 'production',
    APP_SECRET: process.env.APP_SECRET ?? 'kwik-bench-secret-not-for-production-0123456789',
    ...extra,
  };
}

/** The demo's own rate limits off: they are bench:auth's subject, elsewhere they would only cap the load. */
export const NO_DEMO_RATE_LIMITS = { RATE_LIMIT_ANONYMOUS: '0', RATE_LIMIT_AUTHENTICATED: '0' };
/**
 * The demo's response cache off: the demo caches `GET /api/posts`, so without this a list
 * benchmark would load cache hits, not the shaped list's SQL (bench:cache measures the cache).
 */
export const NO_DEMO_CACHE = { KWIK_CACHE: 'false' };
const LOGIN = { email: 'admin@acme.test', password: 'kwik-demo-pass' };

export function assertDemoBuilt(root) {
  if (!existsSync(resolvePath(root, DEMO_ENTRY))) {
    throw new Error(`${DEMO_ENTRY} not found: run \`npm run build\` (npm run bench does) first`);
  }
}

/** Create the benchmark database when missing (connecting to the `postgres` db). */
export async function ensureDatabase(url = DATABASE_URL) {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(dbName)) throw new Error(`unsupported database name "${dbName}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({
    connectionString: admin.href,
    connectionTimeoutMillis: 5000,
    query_timeout: 10000,
  });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${dbName}"`);
    return { created: found.rowCount === 0, database: dbName };
  } catch (err) {
    throw new Error(`PostgreSQL at ${admin.host} unavailable for the Kwik run: ${err.message}`, {
      cause: err,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

/** One bounded HTTP request to 127.0.0.1; resolves { status, body } (body capped at 1 MB). */
export function request(port, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const h = payload ? { ...headers, 'content-type': 'application/json' } : headers;
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: h, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        if (text.length < 1 << 20) text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Headers for `/api/*`: the tenant, plus a bearer token once the auth library serves
 * login. A 404 on the login route means "no auth yet": proceed without a token.
 */
export async function apiHeaders(port) {
  const headers = { 'x-tenant-id': TENANT };
  const res = await request(port, '/api/auth/login', { method: 'POST', headers, body: LOGIN });
  if (res.status === 404) return { headers, auth: 'none (login route answers 404)' };
  let json = {};
  try {
    json = JSON.parse(res.body);
  } catch {
    /* reported below */
  }
  if (res.status >= 200 && res.status < 300 && json.accessToken) {
    return { headers: { ...headers, authorization: `Bearer ${json.accessToken}` }, auth: 'bearer token' };
  }
  throw new Error(`login as ${LOGIN.email} failed: ${res.status} ${res.body.slice(0, 300)}`);
}

/** Signs a seeded demo user in (`reader@acme.test` by default) and returns the access token. */
export async function accessToken(port, email = 'reader@acme.test') {
  const res = await request(port, '/api/auth/login', {
    method: 'POST',
    body: { email, password: LOGIN.password },
  });
  if (res.status !== 200)
    throw new Error(`login as ${email} failed: ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body).accessToken;
}

/** One request before the load: status, size and row count, so an empty list is visible. */
export async function sampleResponse(port, path, headers) {
  const res = await request(port, path, { headers });
  let rows = null;
  try {
    const json = JSON.parse(res.body);
    rows = Array.isArray(json?.data) ? json.data.length : Array.isArray(json) ? json.length : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, bytes: Buffer.byteLength(res.body), rows, snippet: res.body.slice(0, 200) };
}
