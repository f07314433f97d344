import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { escapeIdentifier } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { createDataSource, loadDataSourceModule, type CliOutput } from '@kwik/database';
import { TenantError, TenantErrorCode } from '../tenant.errors.js';
import { migrateTenantSchemas } from '../schema/migrate-tenant-schemas.js';
import { TenantSchemaMigrator } from '../schema/schema-migrator.js';
import { DEFAULT_TENANT_SCHEMA_PREFIX, tenantSchemaName } from '../schema/tenant-schema-name.js';

/** What a data-source module exports for the tenant CLI, beside its `DatabaseModule` options. */
export interface TenantCliModule {
  /** The tenant migrations (as `TenantModule.forRoot({ schema: { migrations } })` gets them). */
  tenantMigrations?: readonly (new () => MigrationInterface)[];
  /** Table of the tenant registry. @default 'tenants' */
  tenantsTable?: string;
  /** @default 'tenant_' */
  tenantSchemaPrefix?: string;
  /** @default 'kwik_tenant_template'; `null`: none */
  tenantTemplate?: string | null;
  /** Role granted each schema. @default 'kwik_app' */
  tenantRole?: string;
}

export const TENANT_CLI_USAGE = `Usage: node libs/tenant/dist/cli.js <migrate|status> --data-source <module.js> [--concurrency N]
  migrate  create and migrate the template and every tenant's schema (several at once), granting them to the app role
  status   list each schema's applied and pending tenant migrations
The module exports DatabaseModule options (default export) and tenantMigrations (plus optional
tenantsTable, tenantSchemaPrefix, tenantTemplate, tenantRole).`;

function usage(problem: string): TenantError {
  return new TenantError(TenantErrorCode.InvalidOptions, `${problem}\n${TENANT_CLI_USAGE}`);
}

/** Parsed command line of the tenant CLI. */
export interface TenantCliArgs {
  command: 'migrate' | 'status';
  dataSource: string;
  concurrency?: number;
}

/** Parses `<migrate|status> --data-source <module> [--concurrency N]`; throws a usage error. */
export function parseTenantCliArgs(argv: readonly string[]): TenantCliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'data-source': { type: 'string' }, concurrency: { type: 'string' } },
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (command !== 'migrate' && command !== 'status') throw usage(`Unknown command '${command ?? ''}'.`);
  if (rest.length > 0) throw usage(`Unexpected argument '${rest[0]}'.`);
  const dataSource = parsed.values['data-source'];
  if (!dataSource) throw usage('--data-source is required.');
  const raw = parsed.values.concurrency;
  const concurrency = raw === undefined ? undefined : Number(raw);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    throw usage(`--concurrency must be a whole number ≥ 1 (got ${raw}).`);
  return { command, dataSource, ...(concurrency ? { concurrency } : {}) };
}

/**
 * The tenant-schema CLI (schema strategy) for deploy scripts and operators: `migrate` brings the
 * template and every tenant's schema up to date — several at once, each failure reported while the
 * others carry on, a re-run resuming — and `status` lists what is pending. Returns the exit code (1
 * when anything failed).
 *
 * @example
 * // node libs/tenant/dist/cli.js migrate --data-source apps/demo/dist/data-source.js --concurrency 8
 */
export async function runTenantCli(argv: readonly string[], out: CliOutput = console): Promise<number> {
  try {
    return await execute(parseTenantCliArgs(argv), out);
  } catch (error) {
    out.error(
      error instanceof TenantError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    );
    return 1;
  }
}

async function execute(args: TenantCliArgs, out: CliOutput): Promise<number> {
  const { options } = await loadDataSourceModule(args.dataSource);
  const mod = (await import(pathToFileURL(resolve(args.dataSource)).href)) as TenantCliModule;
  const migrations = mod.tenantMigrations ?? [];
  if (migrations.length === 0)
    throw usage(`${args.dataSource} exports no tenantMigrations: nothing to run in tenant schemas.`);
  const prefix = mod.tenantSchemaPrefix ?? DEFAULT_TENANT_SCHEMA_PREFIX;
  const template = mod.tenantTemplate === undefined ? 'kwik_tenant_template' : mod.tenantTemplate;
  const dataSource = await createDataSource(options);
  try {
    const rows = (await dataSource.query(
      `SELECT slug FROM ${escapeIdentifier(mod.tenantsTable ?? 'tenants')} ORDER BY slug`,
    )) as { slug: string }[];
    const schemas = rows.map((r) => tenantSchemaName(r.slug, prefix));
    if (template) schemas.unshift(template);
    const migrator = new TenantSchemaMigrator(dataSource, {
      migrations: [...migrations],
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
    });
    if (args.command === 'status') {
      for (const s of await migrator.status(schemas))
        out.log(
          `${s.schema}: ${s.exists ? `${s.applied.length} applied, ${s.pending.length} pending${s.pending.length ? ` (${s.pending.join(', ')})` : ''}` : 'does not exist'}`,
        );
      return 0;
    }
    const report = await migrateTenantSchemas(dataSource, migrator, schemas, mod.tenantRole ?? 'kwik_app', {
      onProgress: (p) => {
        out.log(
          p.migration
            ? `  ${p.schema}: applied ${p.migration}`
            : `[${p.done}/${p.total}] ${p.schema} done${p.failed ? ` (${p.failed} failed so far)` : ''}`,
        );
      },
    });
    out.log(
      `${report.total} schemas: ${report.migrated.length} migrated, ${report.upToDate.length} up to date, ${report.failed.length} failed in ${Math.round(report.durationMs)} ms (${report.concurrency.effective} at once)`,
    );
    for (const f of report.failed)
      out.error(
        `${f.schema}: ${f.migration ?? '(before any migration)'} failed: ${f.error.message}${f.error.code ? ` [${f.error.code}]` : ''}`,
      );
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}
