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

/**
 * Boots the demo in-process on a new database (migrated and seeded at boot) and listens on
 * 127.0.0.1, with tenants kept apart by `strategy`.
 */
export async function startDemo(strategy: DemoStrategy = 'shared'): Promise<DemoUnderTest> {
  const db = await createTestDatabase('demo');
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    LOG_LEVEL: process.env.LOG_LEVEL,
    KWIK_TENANT_STRATEGY: process.env.KWIK_TENANT_STRATEGY,
  };
  process.env.DATABASE_URL = db.url;
  process.env.LOG_LEVEL = 'silent';
  process.env.KWIK_TENANT_STRATEGY = strategy;
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
