import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of `@kwik/tasks`' BullMQ driver: a job enqueued inside a database transaction is a row
 * of `kwik_task_outbox`, written in that transaction, and reaches Redis only after COMMIT (relayed
 * by the committing process at once, by any instance's relay poll otherwise). It also lets
 * `kwik_cron_ticks` record BullMQ job ids (text). Add it after `TasksSchema1796000000000`
 * (`TASKS_MIGRATIONS` holds both, in order).
 *
 * @example
 * DatabaseModule.forRoot({ migrations: [...TASKS_MIGRATIONS, ...MY_MIGRATIONS], migrationsRun: true })
 */
export class TasksOutbox1796100000000 implements MigrationInterface {
  name = 'TasksOutbox1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "kwik_task_outbox" (
      "id" bigserial PRIMARY KEY,
      "queue" text NOT NULL,
      "name" text NOT NULL,
      "data" jsonb NOT NULL,
      "options" jsonb NOT NULL,
      "createdAt" timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`ALTER TABLE "kwik_cron_ticks" ALTER COLUMN "jobId" TYPE text USING "jobId"::text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "kwik_task_outbox"`);
    await q.query(
      `ALTER TABLE "kwik_cron_ticks" ALTER COLUMN "jobId" TYPE bigint USING CASE WHEN "jobId" ~ '^[0-9]+$' THEN "jobId"::bigint END`,
    );
  }
}
