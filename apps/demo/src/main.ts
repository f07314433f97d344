import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createKwikApp, KwikError } from '@kwik/core';
import { AppModule } from './app.module.js';
import { DemoConfig } from './config/demo-config.js';
import { DEMO_PASSWORD } from './seed/seed-data.js';

function describeDatabase(url: string | undefined): string {
  if (!url) return 'embedded PostgreSQL (PGlite) in .kwik/pglite';
  const { hostname, port, pathname } = new URL(url);
  return `PostgreSQL server ${hostname}:${port || 5432}${pathname}`;
}

async function bootstrap(): Promise<void> {
  const app = await createKwikApp(AppModule);
  const config = app.get(DemoConfig);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  const logger = new Logger('Demo');
  logger.log(`Database: ${describeDatabase(config.DATABASE_URL)}`);
  logger.log(
    `Stores: ${config.REDIS_URL ? `Redis ${new URL(config.REDIS_URL).host}` : 'in-process (no REDIS_URL)'}`,
  );
  if (config.KWIK_SEED)
    logger.log(
      `Seed users: admin|editor|author|reader@acme.test (and @globex.test), password "${DEMO_PASSWORD}"`,
    );
  logger.log(`Sign in: POST ${base}/api/auth/login {"email","password"} → Bearer token for /api/*`);
  logger.log(`OpenAPI docs: ${base}/docs (JSON: ${base}/docs/json)`);
  logger.log(
    `Tasks: ${config.KWIK_TASKS_DRIVER === 'bullmq' ? 'BullMQ on Redis (outbox in kwik_task_outbox)' : `PostgreSQL queue (kwik_jobs${config.DATABASE_URL ? '' : ', embedded'})`}, worked by this process; operations API ${base}/_kwik/tasks`,
  );
  logger.log(`Health: ${base}/health/ready`);
  logger.log(`API: ${base}/api/posts`);
}

bootstrap().catch((error: unknown) => {
  // Misconfiguration is reported as its own fix-it message, without a stack trace.
  const message = error instanceof KwikError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`Kwik demo failed to start:\n${message}\n`);
  process.exitCode = 1;
});
