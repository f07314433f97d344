import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The users table becomes a `KwikUser`: one role → a roles array, plus `disabledAt`. */
export class AuthUsers1795400000001 implements MigrationInterface {
  name = 'AuthUsers1795400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "roles" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`UPDATE "users" SET "roles" = ARRAY["role"::text]`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "role"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`ALTER TABLE "users" ADD "disabledAt" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "disabledAt"`);
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('admin', 'editor', 'author', 'reader')`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "role" "public"."user_role" NOT NULL DEFAULT 'reader'`);
    await queryRunner.query(
      `UPDATE "users" SET "role" = (CASE WHEN 'admin' = ANY(roles) THEN 'admin' WHEN 'editor' = ANY(roles) THEN 'editor' WHEN 'author' = ANY(roles) THEN 'author' ELSE 'reader' END)::"public"."user_role"`,
    );
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "role" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "roles"`);
  }
}
