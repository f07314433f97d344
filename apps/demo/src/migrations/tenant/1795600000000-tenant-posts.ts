import type { MigrationInterface, QueryRunner } from 'typeorm';
import { POST_SEARCH_VECTOR } from '../../entities/post.entity.js';

/**
 * The tenant-owned tables (posts, comments) for the schema strategy (`KWIK_TENANT_STRATEGY=schema`):
 * run by `@kwik/tenant` in every tenant's schema, with unqualified names that resolve to that schema
 * (the `search_path` is `"tenant_<slug>", public`). They match what the shared migrations create in
 * `public` (Init, PostSearch); the enum type, `users` and `tenants` stay shared in `public`.
 */
export class TenantPosts1795600000000 implements MigrationInterface {
  name = 'TenantPosts1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "posts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenantId" uuid NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "status" "public"."post_status" NOT NULL DEFAULT 'draft', "tags" text array NOT NULL DEFAULT '{}', "views" integer NOT NULL DEFAULT '0', "publishedAt" TIMESTAMP WITH TIME ZONE, "authorId" uuid NOT NULL, "searchVector" tsvector GENERATED ALWAYS AS (${POST_SEARCH_VECTOR}) STORED NOT NULL, CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_51d4d553e2ae70d5fc43179279" ON "posts" ("tenantId", "createdAt", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_posts_tenant_status_published" ON "posts" ("tenantId", "status", "publishedAt" DESC NULLS LAST, "id" DESC)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_posts_search" ON "posts" USING GIN ("searchVector")`);
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "tenantId" uuid NOT NULL, "postId" uuid NOT NULL, "authorId" uuid NOT NULL, "body" text NOT NULL, CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a4367f08021b501ba78f98ae01" ON "comments" ("postId", "createdAt")`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_f9712f0a74ea874f5859b4da5c0" FOREIGN KEY ("tenantId") REFERENCES "public"."tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_c5a322ad12a7bf95460c958e80e" FOREIGN KEY ("authorId") REFERENCES "public"."users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_e44ddaaa6d058cb4092f83ad61f" FOREIGN KEY ("postId") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_4548cc4a409b8651ec75f70e280" FOREIGN KEY ("authorId") REFERENCES "public"."users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP TABLE "posts"`);
  }
}
