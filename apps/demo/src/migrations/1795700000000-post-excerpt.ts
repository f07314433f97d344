import type { MigrationInterface, QueryRunner } from 'typeorm';
import { POST_EXCERPT } from '../entities/post.entity.js';

/**
 * API v2 of posts: the generated `excerpt` column (the text itself keeps its column `body`; the
 * entity property and v2 call it `content`, v1 still `body`, through the version change).
 */
export class PostExcerpt1795700000000 implements MigrationInterface {
  name = 'PostExcerpt1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "posts" ADD "excerpt" text GENERATED ALWAYS AS (${POST_EXCERPT}) STORED`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), 'posts', 'GENERATED_COLUMN', 'excerpt', $1)`,
      [POST_EXCERPT],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "name" = 'excerpt' AND "table" = 'posts'`,
    );
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "excerpt"`);
  }
}
