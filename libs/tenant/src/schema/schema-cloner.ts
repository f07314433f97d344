import type { DataSource, QueryRunner } from 'typeorm';
import { readClonePlan } from './internal/clone-catalog.js';
import { findLeftoverReferences, findUncopyable, type UncopyableObject } from './internal/clone-checks.js';
import { cloneStatements, dependencyOrder, unexpectedShapes } from './internal/clone-ddl.js';
import { requireReady } from './internal/data-source.js';
import { checkLockTimeout, checkTrackingTable } from './internal/options.js';
import { lockSchema } from './internal/schema-lock.js';
import { DEFAULT_TRACKING_TABLE, trackingTableName } from './internal/tracking-table.js';
import { inTransaction } from './internal/transaction.js';
import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';
import { assertSchemaName, quoteSchemaName } from './tenant-schema-name.js';

/** Options of {@link cloneSchema}. */
export interface SchemaCloneOptions {
  /** Tracking table of the template, copied with its rows. @default 'kwik_tenant_migrations' */
  trackingTable?: string;
  /** `lock_timeout` of the clone's transaction in milliseconds (`0`: wait forever). @default the server's */
  lockTimeoutMs?: number;
}

/** What {@link cloneSchema} created. */
export interface SchemaCloneResult {
  readonly schema: string;
  readonly template: string;
  /** Tables created, in dependency order (the tracking table included). */
  readonly tables: readonly string[];
  readonly enums: readonly string[];
  /** Sequences of `serial` columns, re-created in the new schema. */
  readonly sequences: readonly string[];
  /** Migrations recorded in the template, and so in the new schema. */
  readonly migrations: readonly string[];
}

function unsupported(template: string, objects: readonly UncopyableObject[]): TenantSchemaError {
  const list = objects.map((o) => `${o.kind} ${o.name}`).join('; ');
  return new TenantSchemaError(
    TenantSchemaErrorCode.SchemaCloneUnsupported,
    `Cannot clone schema "${template}" faithfully: ${list}. Provision this tenant by running the migrations (createSchema() then migrate()), or remove these objects from the template.`,
  );
}

async function templateOid(qr: QueryRunner, template: string, target: string): Promise<string> {
  const [row] = (await qr.query(
    'SELECT (SELECT oid::text FROM pg_namespace WHERE nspname = $1) AS template, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $2) AS target',
    [template, target],
  )) as { template: string | null; target: boolean }[];
  if (row!.template === null)
    throw new TenantSchemaError(
      TenantSchemaErrorCode.SchemaNotFound,
      `Template schema "${template}" does not exist: create and migrate it first (TenantSchemaMigrator.createSchema() and migrate()).`,
    );
  if (row!.target)
    throw new TenantSchemaError(
      TenantSchemaErrorCode.SchemaExists,
      `Schema "${target}" already exists: clone only into a new schema (drop it first with dropSchema() to re-provision).`,
    );
  return row!.template;
}

/**
 * Provisions schema `target` by copying the migrated schema `template` instead of running every
 * migration, in one transaction: enum types, tables (`LIKE … INCLUDING ALL`: columns, defaults,
 * generated columns, identity, column comments), `serial` sequences, check / primary / unique /
 * exclusion constraints and indexes by definition under their own names, then foreign keys —
 * references to template tables point at the target's, references to other schemas (`public.tenants`)
 * are kept. The tracking table is copied with its rows, so the new schema counts as migrated to the
 * template's level; run the migrator on it afterwards to apply anything newer. No other rows are copied.
 *
 * Throws `KWIK_TENANT_SCHEMA_CLONE_UNSUPPORTED` listing what it cannot copy faithfully (views,
 * functions, triggers, sequences not owned by a column, policies, rules, domains, …) and creates
 * nothing, so the caller can fall back to the migrations. Holds the template's advisory lock shared (no
 * migration of the template meanwhile) and the target's exclusively. Grants are not copied: call
 * `grantSchemaTo()` afterwards.
 *
 * @example
 * try {
 *   await cloneSchema(dataSource, 'kwik_tenant_template', 'tenant_acme');
 * } catch (e) {
 *   if (!(e instanceof TenantSchemaError && e.code === TenantSchemaErrorCode.SchemaCloneUnsupported)) throw e;
 *   await migrator.createSchema('tenant_acme');
 *   assertSchemasMigrated(await migrator.migrate(['tenant_acme']));
 * }
 */
export async function cloneSchema(
  dataSource: DataSource,
  template: string,
  target: string,
  options: SchemaCloneOptions = {},
): Promise<SchemaCloneResult> {
  requireReady(dataSource, 'cloneSchema()');
  const quotedTemplate = quoteSchemaName(template);
  assertSchemaName(target);
  const trackingTable = checkTrackingTable(options.trackingTable ?? DEFAULT_TRACKING_TABLE);
  const lockTimeoutMs = checkLockTimeout(options.lockTimeoutMs);
  if (template === target)
    throw new TenantSchemaError(
      TenantSchemaErrorCode.SchemaExists,
      `Cannot clone schema "${template}" onto itself.`,
    );
  return inTransaction(
    dataSource,
    async (qr) => {
      await lockSchema(qr, template, 'shared');
      await lockSchema(qr, target);
      const oid = await templateOid(qr, template, target);
      const uncopyable = await findUncopyable(qr, oid);
      if (uncopyable.length > 0) throw unsupported(template, uncopyable);
      await qr.query(`SET LOCAL search_path TO ${quotedTemplate}`);
      const plan = await readClonePlan(qr, oid);
      const shapes = unexpectedShapes(plan);
      if (shapes.length > 0) throw unsupported(template, shapes);
      if (!plan.tables.some((t) => t.name === trackingTable))
        throw unsupported(template, [
          {
            kind: 'no tracking table',
            name: `${trackingTable} (only a schema migrated by TenantSchemaMigrator, with the same trackingTable, can be a template)`,
          },
        ]);
      const migrations = (
        (await qr.query(
          `SELECT name FROM ${trackingTableName(template, trackingTable)} ORDER BY "timestamp", name`,
        )) as { name: string }[]
      ).map((r) => r.name);
      // One round trip: the statements take parameters from nowhere (names quoted, labels escaped).
      await qr.query(cloneStatements(plan, template, target, trackingTable).join(';\n'));
      const leftovers = await findLeftoverReferences(qr, oid, target);
      if (leftovers.length > 0) throw unsupported(template, leftovers);
      return {
        schema: target,
        template,
        tables: dependencyOrder(plan).map((t) => t.name),
        enums: plan.enums.map((e) => e.name),
        sequences: plan.sequences.map((s) => s.name),
        migrations,
      };
    },
    lockTimeoutMs,
  );
}
