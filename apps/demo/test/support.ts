import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createKwikApp } from '@kwik/core';
import { createTestDatabase } from '../../../test/support/postgres.js';
import { AppModule } from '../src/app.module.js';

/** A demo app listening on a random port over a fresh PostgreSQL database. */
export interface DemoUnderTest {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** Boots the demo in-process on a new database (migrated and seeded at boot) and listens on 127.0.0.1. */
export async function startDemo(): Promise<DemoUnderTest> {
  const db = await createTestDatabase('demo');
  const saved = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };
  process.env.DATABASE_URL = db.url;
  process.env.LOG_LEVEL = 'silent';
  try {
    const app = await createKwikApp(AppModule, { handleSignals: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    return {
      app,
      baseUrl: `http://127.0.0.1:${address.port}`,
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
