import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { createKwikApp, type CreateKwikAppOptions } from '@kwik/core';
import { TestClient, type TestClientOptions } from './test-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A provider replaced for the test: the Nest testing module's `overrideProvider()`, as data. */
export type TestOverride =
  | { provide: unknown; useValue: unknown }
  | { provide: unknown; useClass: Type<unknown> }
  | { provide: unknown; useFactory: (...args: any[]) => unknown; inject?: unknown[] };

/** Options of {@link createTestApp}. */
export interface CreateTestAppOptions {
  /**
   * Providers to replace — a fake for a side effect (`{ provide: TaskBackend, useClass:
   * FakeTaskBackend }` from `@kwik/tasks`), a clock, a payment gateway. @default []
   */
  overrides?: readonly TestOverride[];
  /**
   * Environment while the app boots (restored after), on top of the process's; `undefined` unsets.
   * The app reads its configuration from it, as in production. @default {}
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The database: a fresh one on the test server per app (`'fresh'`: `DATABASE_URL` points at it;
   * dropped by `close()`), an existing `{ url }` (kept), or `false` to leave `DATABASE_URL` alone
   * (an app without a database, or embedded PGlite when it is unset). @default 'fresh'
   */
  database?: 'fresh' | { url: string } | false;
  /** Part of the fresh database's name (the test file's subject). @default 'app' */
  name?: string;
  /** The {@link TestClient}'s auth path and tenant header. */
  client?: TestClientOptions;
  /**
   * What the app's `main.ts` passes to `createKwikApp()` (`plugins`, `bodyLimit`, `trustProxy`,
   * `requestIdHeader`, `nest`…), so the test app boots the same way. Signals are never handled.
   * @default {}
   */
  kwik?: Omit<CreateKwikAppOptions, 'create' | 'handleSignals'>;
}

/** A Kwik app running for a test, on 127.0.0.1 and a free port. */
export interface TestApp {
  readonly app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The app's database URL (`undefined` with `database: false`). */
  readonly databaseUrl: string | undefined;
  /** An HTTP client for this app, signed in as nobody until `as()` / `getAs()`. */
  readonly client: TestClient;
  /** A provider of the app (`app.get(token)`, not limited to the root module). */
  get<T>(token: unknown): T;
  /** Closes the app (shutdown hooks run) and drops its fresh database. */
  close(): Promise<void>;
}

/**
 * Boots `AppModule` as `createKwikApp()` does in production — same hooks, guards, filters,
 * configuration from the environment — on a database of its own, with `overrides` replacing
 * providers, listening on a free port. One per test file (`beforeAll` / `afterAll`): files run in
 * parallel without sharing rows.
 *
 * @example
 * let t: TestApp;
 * beforeAll(async () => {
 *   t = await createTestApp(AppModule, {
 *     name: 'posts',
 *     overrides: [{ provide: TaskBackend, useClass: FakeTaskBackend }],
 *   });
 * });
 * afterAll(() => t.close());
 * it('lists posts', async () => (await t.client.asTenant('acme').getAs(admin, '/api/posts')).expectStatus(200));
 */
export async function createTestApp(
  AppModule: Type<unknown>,
  options: CreateTestAppOptions = {},
): Promise<TestApp> {
  // A DATABASE_URL given in `env` is the database (as `{ url }`): no fresh one is made beside it.
  const fromEnv = options.env && 'DATABASE_URL' in options.env ? options.env.DATABASE_URL : undefined;
  const database = fromEnv !== undefined ? { url: fromEnv } : (options.database ?? 'fresh');
  let fresh: TestDatabase | undefined;
  let databaseUrl: string | undefined;
  if (database === 'fresh') {
    fresh = await createTestDatabase(options.name ?? 'app');
    databaseUrl = fresh.url;
  } else if (database !== false) databaseUrl = database.url;
  else databaseUrl = process.env.DATABASE_URL;

  const env: Record<string, string | undefined> = {
    ...options.env,
    ...(database !== false ? { DATABASE_URL: databaseUrl } : {}),
  };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  setEnv(env);
  let app: NestFastifyApplication;
  try {
    let builder: TestingModuleBuilder = Test.createTestingModule({ imports: [AppModule] });
    for (const override of options.overrides ?? []) builder = applyOverride(builder, override);
    const moduleRef = await builder.compile();
    app = await createKwikApp(AppModule, {
      handleSignals: false,
      create: (adapter, nestOptions) =>
        moduleRef.createNestApplication<NestFastifyApplication>(adapter, nestOptions),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await fresh?.drop().catch(() => undefined);
    throw error;
  } finally {
    setEnv(saved);
  }
  const booted = app;
  const { port } = booted.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    app: booted,
    baseUrl,
    databaseUrl,
    client: TestClient.create(baseUrl, options.client),
    get: <T>(token: unknown) => booted.get<T>(token as never, { strict: false }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await booted.close();
      } finally {
        await fresh?.drop();
      }
    },
  };
}

/** Sets (or, for `undefined`, unsets) environment variables. */
function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

function applyOverride(builder: TestingModuleBuilder, override: TestOverride): TestingModuleBuilder {
  const target = builder.overrideProvider(override.provide);
  if ('useValue' in override) return target.useValue(override.useValue);
  if ('useClass' in override) return target.useClass(override.useClass);
  return target.useFactory({ factory: override.useFactory, inject: override.inject as never[] });
}
