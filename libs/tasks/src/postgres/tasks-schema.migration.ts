import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `kwik_jobs` table of `@kwik/tasks`' PostgreSQL driver: add it to your app's migrations.
 *
 * - `IDX_kwik_jobs_fetch`: the claim path (pending jobs of a queue by priority, then due time), partial on `state = 'pending'`.
 * - `UQ_kwik_jobs_dedup`: one pending or running job per queue and dedup key.
 * - A trigger `NOTIFY`s `kwik_jobs` with the queue name on insert; PostgreSQL delivers it at commit, so
 *   a job enqueued in a transaction wakes the workers only if and when it commits.
 * - `kwik_cron_ticks`: one row per schedule and tick, so a tick fires once across all instances.
 *
 * @example
 * DatabaseModule.forRoot({ migrations: [TasksSchema1796000000000, ...MY_MIGRATIONS], migrationsRun: true })
 */
export class TasksSchema1796000000000 implements MigrationInterface {
  name = 'TasksSchema1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "kwik_jobs" (
      "id" bigserial PRIMARY KEY,
      "queue" text NOT NULL,
      "name" text NOT NULL,
      "payload" jsonb NOT NULL DEFAULT '{}',
      "state" text NOT NULL DEFAULT 'pending' CHECK ("state" IN ('pending', 'running', 'completed', 'dead', 'cancelled')),
      "priority" integer NOT NULL DEFAULT 0,
      "runAt" timestamptz NOT NULL DEFAULT now(),
      "attempts" integer NOT NULL DEFAULT 0,
      "maxAttempts" integer NOT NULL DEFAULT 5,
      "backoff" jsonb,
      "dedupKey" text,
      "lockedBy" text,
      "lockedUntil" timestamptz,
      "lastError" jsonb,
      "result" jsonb,
      "context" jsonb,
      "createdAt" timestamptz NOT NULL DEFAULT now(),
      "startedAt" timestamptz,
      "finishedAt" timestamptz
    )`);
    await q.query(
      `CREATE INDEX "IDX_kwik_jobs_fetch" ON "kwik_jobs" ("queue", "priority" DESC, "runAt", "id") WHERE "state" = 'pending'`,
    );
    await q.query(
      `CREATE INDEX "IDX_kwik_jobs_leases" ON "kwik_jobs" ("lockedUntil") WHERE "state" = 'running'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_kwik_jobs_dedup" ON "kwik_jobs" ("queue", "dedupKey") WHERE "dedupKey" IS NOT NULL AND "state" IN ('pending', 'running')`,
    );
    await q.query(
      `CREATE INDEX "IDX_kwik_jobs_finished" ON "kwik_jobs" ("finishedAt") WHERE "finishedAt" IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "kwik_cron_ticks" ("name" text NOT NULL, "tick" timestamptz NOT NULL, "jobId" bigint, PRIMARY KEY ("name", "tick"))`,
    );
    await q.query(`CREATE FUNCTION "kwik_jobs_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('kwik_jobs', NEW."queue"); RETURN NULL; END $$`);
    await q.query(
      `CREATE TRIGGER "kwik_jobs_notify" AFTER INSERT ON "kwik_jobs" FOR EACH ROW EXECUTE FUNCTION "kwik_jobs_notify"()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "kwik_cron_ticks"`);
    await q.query(`DROP TABLE "kwik_jobs"`);
    await q.query(`DROP FUNCTION "kwik_jobs_notify"()`);
  }
}
