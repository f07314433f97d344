import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  disableTenantRlsSql,
  enableTenantRlsSql,
  revokeTenantLeakproofSql,
  revokeTenantRoleSql,
  tenantLeakproofSql,
  tenantRoleSql,
} from '@kwik/tenant';

/** The tenant-owned tables of the demo and their tenant column. */
const TENANT_TABLES = [
  ['users', 'tenantId'],
  ['posts', 'tenantId'],
  ['comments', 'tenantId'],
] as const;

/**
 * `@kwik/tenant`: the registry columns (status, plan, settings), the non-owner role `kwik_app`
 * tenant-scoped statements run as, row-level security on every tenant-owned table, and enum
 * equality marked leakproof so `filter[status]=` keeps its index under row-level security.
 */
export class Tenancy1795500000000 implements MigrationInterface {
  name = 'Tenancy1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tenants" ADD "status" character varying(16) NOT NULL DEFAULT 'active'`,
    );
    await queryRunner.query(`ALTER TABLE "tenants" ADD "plan" character varying(63)`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "settings" jsonb NOT NULL DEFAULT '{}'`);
    for (const sql of tenantRoleSql()) await queryRunner.query(sql);
    for (const sql of tenantLeakproofSql()) await queryRunner.query(sql);
    for (const [table, column] of TENANT_TABLES)
      for (const sql of enableTenantRlsSql(table, column)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of TENANT_TABLES)
      for (const sql of disableTenantRlsSql(table)) await queryRunner.query(sql);
    for (const sql of revokeTenantLeakproofSql()) await queryRunner.query(sql);
    for (const sql of revokeTenantRoleSql()) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "settings"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "plan"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "status"`);
  }
}
