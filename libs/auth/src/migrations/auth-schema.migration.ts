import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The auth library's tables (sessions, refresh tokens, API keys, roles, MFA, audit). Add it to
 * the app's migrations after the migration that creates the users table; the user table's own
 * columns (`KwikUser`) belong to the app's migrations.
 *
 * @example
 * migrations: [Init1795304048053, AuthSchema1795400000000, ...]
 */
export class AuthSchema1795400000000 implements MigrationInterface {
  name = 'AuthSchema1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "kwik_auth_sessions" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "userId" uuid NOT NULL, "tenantId" uuid,
      "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lastUsedAt" TIMESTAMP WITH TIME ZONE NOT NULL,
      "expiresAt" TIMESTAMP WITH TIME ZONE NOT NULL, "revokedAt" TIMESTAMP WITH TIME ZONE,
      "revokedReason" character varying(40), "userAgent" character varying(300), "ip" character varying(64),
      "mfa" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_kwik_auth_sessions" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "IDX_kwik_auth_sessions_user" ON "kwik_auth_sessions" ("userId", "createdAt")`,
    );
    await q.query(`CREATE TABLE "kwik_auth_refresh_tokens" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "sessionId" uuid NOT NULL, "hash" character(64) NOT NULL,
      "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expiresAt" TIMESTAMP WITH TIME ZONE NOT NULL,
      "usedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_kwik_auth_refresh_tokens" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE UNIQUE INDEX "IDX_kwik_auth_refresh_tokens_hash" ON "kwik_auth_refresh_tokens" ("hash")`,
    );
    await q.query(
      `CREATE INDEX "IDX_kwik_auth_refresh_tokens_session" ON "kwik_auth_refresh_tokens" ("sessionId")`,
    );
    await q.query(`CREATE TABLE "kwik_auth_api_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "userId" uuid NOT NULL, "tenantId" uuid,
      "name" character varying(100) NOT NULL, "prefix" character varying(32) NOT NULL, "hash" character(64) NOT NULL,
      "scopes" text array NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "expiresAt" TIMESTAMP WITH TIME ZONE, "lastUsedAt" TIMESTAMP WITH TIME ZONE, "revokedAt" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_kwik_auth_api_keys" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_kwik_auth_api_keys_prefix" ON "kwik_auth_api_keys" ("prefix")`);
    await q.query(
      `CREATE INDEX "IDX_kwik_auth_api_keys_user" ON "kwik_auth_api_keys" ("userId", "createdAt")`,
    );
    await q.query(`CREATE TABLE "kwik_auth_roles" (
      "name" character varying(64) NOT NULL, "inherits" text array NOT NULL DEFAULT '{}',
      "permissions" text array NOT NULL DEFAULT '{}', "description" character varying(300),
      "fromCode" boolean NOT NULL DEFAULT false, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_kwik_auth_roles" PRIMARY KEY ("name"))`);
    await q.query(`CREATE TABLE "kwik_auth_mfa" (
      "userId" uuid NOT NULL, "secret" text NOT NULL, "enabledAt" TIMESTAMP WITH TIME ZONE,
      "recoveryCodes" text array NOT NULL DEFAULT '{}', "lastStep" bigint,
      "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_kwik_auth_mfa" PRIMARY KEY ("userId"))`);
    await q.query(`CREATE TABLE "kwik_auth_audit" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "type" character varying(40) NOT NULL, "actorId" uuid, "subject" character varying(64), "tenantId" uuid,
      "ip" character varying(64), "requestId" character varying(128), "details" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_kwik_auth_audit" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_kwik_auth_audit_type" ON "kwik_auth_audit" ("type", "at")`);
    await q.query(`CREATE INDEX "IDX_kwik_auth_audit_actor" ON "kwik_auth_audit" ("actorId", "at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'kwik_auth_audit',
      'kwik_auth_mfa',
      'kwik_auth_roles',
      'kwik_auth_api_keys',
      'kwik_auth_refresh_tokens',
      'kwik_auth_sessions',
    ])
      await q.query(`DROP TABLE "${table}"`);
  }
}
