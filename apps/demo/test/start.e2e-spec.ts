import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { login } from './support.js';

// What `npm start` runs: the bundle of the compiled demo.
const MAIN = fileURLToPath(new URL('../dist/bundle/main.mjs', import.meta.url));
const SEED_CLI = fileURLToPath(new URL('../dist/seed-cli.js', import.meta.url));
/** Every demo process a test started; afterEach kills any still running. */
const spawned: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
  baseUrl: string;
}

/** Runs the built demo like `npm start` does, and waits for the line announcing the API URL. */
function startDemoProcess(env: Record<string, string | undefined>, cwd: string): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: {
      ...process.env,
      PORT: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      APP_SECRET: 'kwik-demo-start-test-secret-0123456789abcdef',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo did not start in 60 s:\n${out.slice(-3000)}`)),
      60_000,
    );
    void exit.then((code) => reject(new Error(`demo exited with ${code}:\n${out.slice(-3000)}`)));
    const onData = (): void => {
      const match = /API: (http:\/\/127\.0\.0\.1:\d+)\/api\/posts/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, output: () => out, exit, baseUrl: match[1]! });
    };
    child.stdout!.on('data', onData);
  });
}

/** GET as admin@acme.test (signed in with the seeded password). */
async function authedGet(baseUrl: string, path: string): Promise<Response> {
  const token = await login(baseUrl, 'admin@acme.test');
  return fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

async function expectServing(started: Started): Promise<void> {
  const ready = await fetch(`${started.baseUrl}/health/ready`);
  expect(ready.status).toBe(200);
  expect((await fetch(`${started.baseUrl}/api/posts?limit=5`)).status).toBe(401);
  const posts = await authedGet(started.baseUrl, '/api/posts?limit=5');
  expect(posts.status).toBe(200);
  expect(((await posts.json()) as { data: unknown[] }).data).toHaveLength(5);
  started.child.kill('SIGTERM');
  expect(await started.exit).toBe(0);
}

describe('npm start: the built demo as a process', () => {
  let cleanup: (() => Promise<void> | void) | undefined;
  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(
        'apps/demo/dist/bundle/main.mjs is missing: run `npm run build` (npm test does it first)',
      );
  });
  afterEach(async () => {
    // A failed assertion must not leave a demo running.
    for (const child of spawned.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await cleanup?.();
    cleanup = undefined;
  });

  it('with no DATABASE_URL runs on embedded PostgreSQL under ./.kwik, seeds, serves, exits 0 on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kwik-demo-'));
    cleanup = () => rmSync(cwd, { recursive: true, force: true });
    const started = await startDemoProcess({ DATABASE_URL: undefined, REDIS_URL: undefined }, cwd);
    const lines = started.output();
    expect(lines).toContain('Database: embedded PostgreSQL (PGlite) in .kwik/pglite');
    expect(lines).toContain('Stores: in-process (no REDIS_URL)');
    expect(lines).toMatch(/OpenAPI docs: http:\/\/127\.0\.0\.1:\d+\/docs/);
    expect(existsSync(join(cwd, '.kwik', 'pglite'))).toBe(true);
    await expectServing(started);
  }, 120_000);

  it('with DATABASE_URL and REDIS_URL runs on the servers', async () => {
    const db = await createTestDatabase('demo_start');
    cleanup = () => db.drop();
    const started = await startDemoProcess(
      { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379' },
      process.cwd(),
    );
    expect(started.output()).toMatch(/Database: PostgreSQL server 127\.0\.0\.1:5432\//);
    expect(started.output()).toContain('Stores: Redis 127.0.0.1:6379');
    const ready = (await (await fetch(`${started.baseUrl}/health/ready`)).json()) as {
      checks: Record<string, unknown>;
    };
    expect(ready.checks).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });

    // npm run demo:seed -- --tenant acme --posts 500 adds bulk posts the running app serves.
    const seeded = execFileSync(process.execPath, [SEED_CLI, '--tenant', 'acme', '--posts', '500'], {
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(seeded).toMatch(/^Added 500 posts to acme in \d+ ms/);
    const counted = await authedGet(started.baseUrl, '/api/posts?limit=1&count=true');
    expect(counted.headers.get('x-total-count')).toBe('550');
    await expectServing(started);
  }, 60_000);

  it('refuses to start on bad configuration with one message listing each problem', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: 'abc', DATABASE_URL: 'mysql://nope', KWIK_SEED: 'perhaps' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('3 environment variables to fix');
    expect(err).toContain('PORT: must be an integer between 0 and 65535 (got "abc")');
    expect(err).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://nope")');
    expect(err).toContain('KWIK_SEED: must be true or false (got "perhaps")');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('refuses to start on a missing database with one fix-it message and no stack', async () => {
    const missing = new URL(
      process.env.KWIK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    );
    missing.pathname = '/kwik_demo_missing_db';
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATABASE_URL: missing.href, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('[KWIK_DATABASE_NOT_FOUND] Database "kwik_demo_missing_db" does not exist');
    expect(out).not.toMatch(/\n\s+at /);
  });
});
