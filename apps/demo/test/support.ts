import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '@kwik/testing';
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
  // The testing kit boots the demo as production does, on a database of its own (or the given one).
  const t = await createTestApp(AppModule, {
    name: 'demo',
    database: options.databaseUrl ? { url: options.databaseUrl } : 'fresh',
    env: {
      LOG_LEVEL: process.env.DEMO_TEST_LOG_LEVEL ?? 'silent',
      KWIK_TENANT_STRATEGY: strategy,
      ...options.env,
    },
  });
  try {
    const token = await t.client.token({ email: 'admin@acme.test', password: DEMO_PASSWORD, tenant: 'acme' });
    return {
      app: t.app,
      baseUrl: t.baseUrl,
      databaseUrl: t.databaseUrl!,
      fetch: (input, init = {}) => {
        const headers = new Headers(init.headers);
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
      close: () => t.close(),
    };
  } catch (error) {
    await t.close();
    throw error;
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
