import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role tenant-scoped statements run as (`@kwik/tenant`'s default, created by Tenancy1795500000000). */
const TENANT_ROLE = '"kwik_app"';
const TABLES = '"public"."kwik_jobs", "public"."kwik_cron_ticks", "public"."kwik_task_outbox"';

/**
 * `@kwik/tasks` under tenancy: an enqueue made in a tenant's request (the welcome mail on register)
 * runs as the tenant role. That role may add jobs (either driver: `kwik_jobs` or the BullMQ
 * outbox) and read only what an enqueue reads back — the id, queue, dedup key and state of a job
 * (the dedup check) — never another tenant's payloads, results or contexts. Workers, the cron
 * scheduler and the operations API run as the owner. The default privileges of Tenancy1795500000000
 * would grant everything on these tables, so they are revoked first. With the schema strategy the
 * tables stay in `public`, which every tenant's `search_path` ends with.
 */
export class TasksGrants1796100000001 implements MigrationInterface {
  name = 'TasksGrants1796100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON TABLE ${TABLES} FROM ${TENANT_ROLE}`);
    await queryRunner.query(
      `GRANT INSERT, SELECT ("id", "queue", "dedupKey", "state") ON TABLE "public"."kwik_jobs" TO ${TENANT_ROLE}`,
    );
    await queryRunner.query(
      `GRANT INSERT, SELECT ("id") ON TABLE "public"."kwik_task_outbox" TO ${TENANT_ROLE}`,
    );
    await queryRunner.query(
      `GRANT USAGE ON SEQUENCE "public"."kwik_jobs_id_seq", "public"."kwik_task_outbox_id_seq" TO ${TENANT_ROLE}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `REVOKE ALL ON SEQUENCE "public"."kwik_jobs_id_seq", "public"."kwik_task_outbox_id_seq" FROM ${TENANT_ROLE}`,
    );
    await queryRunner.query(`REVOKE ALL ON TABLE ${TABLES} FROM ${TENANT_ROLE}`);
  }
}
