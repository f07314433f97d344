import type { MigrationInterface, QueryRunner } from 'typeorm';
import { POST_EXCERPT } from '../../entities/post.entity.js';

/** The generated `excerpt` column of posts (API v2) in every tenant's schema (see PostExcerpt1795700000000). */
export class TenantPostExcerpt1795700000001 implements MigrationInterface {
  name = 'TenantPostExcerpt1795700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "posts" ADD "excerpt" text GENERATED ALWAYS AS (${POST_EXCERPT}) STORED`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "excerpt"`);
  }
}
