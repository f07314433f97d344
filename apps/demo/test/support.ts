import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createKwikApp } from '@kwik/core';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { AppModule } from '../src/app.module.js';
import { DEMO_PASSWORD } from '../src/seed/seed-data.js';

/** A demo app listening on a random port over a fresh PostgreSQL database. */
export interface DemoUnderTest {
  app: NestFastifyApplication;
  baseUrl: string;
  /** The demo's (throw-away) database. */
  databaseUrl: string;
  /** `fetch` signed in as admin@acme.test (the Authorization header is added unless given). */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** How tenants are kept apart (`KWIK_TENANT_STRATEGY`): the demo's suites run under both. */
export type DemoStrategy = 'shared' | 'schema';

/** Both tenancy strategies, for `describe.each(STRATEGIES)`. */
export const STRATEGIES: readonly DemoStrategy[] = ['shared', 'schema'];

/** Extras of {@link startDemo}. */
export interface StartDemoOptions {
  /** More environment for the app (e.g. `REDIS_URL`). */
  env?: Record<string, string>;
  /** Boot on this existing database (a second instance of the same deployment); it is not dropped. */
  databaseUrl?: string;
}

/**
 * Boots the demo in-process on a new database (migrated and seeded at boot) and listens on
 * 127.0.0.1, with tenants kept apart by `strategy`.
 */
export async function startDemo(
  strategy: DemoStrategy = 'shared',
  options: StartDemoOptions = {},
): Promise<DemoUnderTest> {
  const db = options.databaseUrl
    ? { url: options.databaseUrl, drop: () => Promise.resolve() }
    : await createTestDatabase('demo');
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    LOG_LEVEL: process.env.DEMO_TEST_LOG_LEVEL ?? 'silent',
    KWIK_TENANT_STRATEGY: strategy,
    ...options.env,
  };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const app = await createKwikApp(AppModule, { handleSignals: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    const baseUrl = `http://127.0.0.1:${address.port}`;
    const token = await login(baseUrl, 'admin@acme.test');
    return {
      app,
      baseUrl,
      databaseUrl: db.url,
      fetch: (input, init = {}) => {
        const headers = new Headers(init.headers);
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
      close: async () => {
        await app.close();
        await db.drop();
      },
    };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Signs a seeded demo user in and returns the access token. */
export async function login(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
