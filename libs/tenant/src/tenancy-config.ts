import type { MigrationInterface } from 'typeorm';
import type { Type } from '@nestjs/common';
import type { KwikTenant } from './entities/kwik-tenant.entity.js';
import { TenantError, TenantErrorCode } from './tenant.errors.js';
import type { TenantModuleOptions, TenantResolverSpec, TenantStrategy } from './tenant-options.interface.js';
import {
  defaultOf,
  checkSettingValue,
  type TenantSettingsDefinition,
} from './registry/tenant-settings.definition.js';
import { TenantResolver } from './resolution/tenant-resolver.js';

/** Tenant slugs: lower-case letters, digits and inner hyphens, 1–63 characters (a DNS label). */
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const SETTING = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;
const HEADER = /^[a-z0-9-]+$/;

/** The tenancy options with every default applied, checked once at boot and frozen. */
export interface TenancyConfig {
  readonly tenantEntity: Type<KwikTenant>;
  readonly strategy: TenantStrategy;
  readonly resolvers: readonly TenantResolverSpec[];
  readonly required: boolean;
  readonly header: string;
  readonly baseDomains: readonly string[];
  readonly reservedSubdomains: readonly string[];
  readonly tokenClaim: string;
  readonly cacheMs: number;
  readonly negativeCacheMs: number;
  readonly cacheSize: number;
  readonly rls: { readonly role: string; readonly setting: string; readonly verify: boolean };
  readonly schema: {
    readonly prefix: string;
    readonly migrations: readonly (Type<MigrationInterface> | MigrationInterface)[];
    readonly concurrency: number;
    readonly template: string | null;
    readonly migrateOnBoot: boolean;
  };
  readonly settings: TenantSettingsDefinition;
  readonly admin: { readonly permission: string };
}

/** Applies defaults and checks the options; every problem is reported at once. */
export function resolveTenancyConfig(options: TenantModuleOptions): TenancyConfig {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  check(
    typeof options.tenantEntity === 'function',
    'tenantEntity must be the app’s tenant entity class (extending KwikTenant)',
  );
  const strategy = options.strategy ?? 'shared';
  check(
    strategy === 'shared' || strategy === 'schema',
    `strategy must be 'shared' or 'schema' (got ${String(strategy)})`,
  );
  const resolvers = options.resolvers ?? ['header', 'subdomain', 'token'];
  check(resolvers.length > 0, 'resolvers must name at least one resolver');
  for (const r of resolvers)
    check(
      r === 'header' || r === 'subdomain' || r === 'token' || r instanceof TenantResolver,
      `resolvers: ${String(r)} is neither 'header', 'subdomain', 'token' nor a TenantResolver instance`,
    );
  const header = (options.header ?? 'x-tenant-id').toLowerCase();
  check(HEADER.test(header), `header must be a header name (got "${options.header}")`);
  const baseDomains = (options.baseDomains ?? ['localhost']).map((d) => d.toLowerCase().replace(/^\.+/, ''));
  for (const d of baseDomains)
    check(/^[a-z0-9.-]+$/.test(d) && d.length > 0, `baseDomains: "${d}" is not a host name`);
  const seconds = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    check(Number.isFinite(v) && v >= 0, `${name} must be a number of seconds ≥ 0, finite (got ${v})`);
    return v * 1000;
  };
  const cacheMs = seconds('cacheSeconds', options.cacheSeconds, 30);
  const negativeCacheMs = seconds('negativeCacheSeconds', options.negativeCacheSeconds, 5);
  const cacheSize = options.cacheSize ?? 10_000;
  check(
    Number.isInteger(cacheSize) && cacheSize >= 1,
    `cacheSize must be a whole number ≥ 1 (got ${cacheSize})`,
  );
  const role = options.rls?.role ?? 'kwik_app';
  check(IDENTIFIER.test(role), `rls.role must be a lower-case SQL identifier (got "${role}")`);
  const setting = options.rls?.setting ?? 'kwik.tenant_id';
  check(SETTING.test(setting), `rls.setting must look like "kwik.tenant_id" (got "${setting}")`);
  const prefix = options.schema?.prefix ?? 'tenant_';
  check(
    /^[a-z_][a-z0-9_]{0,20}$/.test(prefix),
    `schema.prefix must be a short lower-case identifier prefix (got "${prefix}")`,
  );
  const concurrency = options.schema?.concurrency ?? 8;
  check(
    Number.isInteger(concurrency) && concurrency >= 1,
    `schema.concurrency must be a whole number ≥ 1 (got ${concurrency})`,
  );
  const template = options.schema?.template === undefined ? 'kwik_tenant_template' : options.schema.template;
  check(
    template === null || IDENTIFIER.test(template),
    `schema.template must be a schema name or null (got "${template}")`,
  );
  const migrations = options.schema?.migrations ?? [];
  if (strategy === 'schema')
    check(
      migrations.length > 0,
      "schema.migrations must list the tenant tables' migrations with strategy 'schema'",
    );
  const settings: TenantSettingsDefinition =
    options.settings ?? Object.freeze({ values: Object.freeze({}), features: Object.freeze({}) });
  for (const [name, spec] of Object.entries(settings.values)) {
    const problem = checkSettingValue(name, spec, defaultOf(spec));
    if (problem) problems.push(`settings: the default of ${problem.replace('settings.', '')}`);
  }
  for (const [name, on] of Object.entries(settings.features))
    check(typeof on === 'boolean', `settings.features.${name} must default to true or false`);
  const permission = options.admin?.permission ?? 'tenants:manage';
  check(
    /^[\w.-]+:[\w.*-]+$/.test(permission),
    `admin.permission must look like "tenants:manage" (got "${permission}")`,
  );
  if (problems.length > 0)
    throw new TenantError(
      TenantErrorCode.InvalidOptions,
      `TenantModule options are invalid:\n- ${problems.join('\n- ')}`,
    );
  return Object.freeze({
    tenantEntity: options.tenantEntity,
    strategy,
    resolvers: Object.freeze([...resolvers]),
    required: options.required ?? true,
    header,
    baseDomains: Object.freeze(baseDomains),
    reservedSubdomains: Object.freeze([...(options.reservedSubdomains ?? ['www', 'api', 'admin'])]),
    tokenClaim: options.tokenClaim ?? 'tenantId',
    cacheMs,
    negativeCacheMs,
    cacheSize,
    rls: Object.freeze({ role, setting, verify: options.rls?.verify ?? true }),
    schema: Object.freeze({
      prefix,
      migrations: Object.freeze([...migrations]),
      concurrency,
      template,
      migrateOnBoot: options.schema?.migrateOnBoot ?? true,
    }),
    settings,
    admin: Object.freeze({ permission }),
  });
}
