import type { MigrationInterface } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { KwikTenant } from './entities/kwik-tenant.entity.js';
import { defineTenantSettings } from './registry/tenant-settings.definition.js';
import { TenantResolver, type TenantHint } from './resolution/tenant-resolver.js';
import { resolveTenancyConfig } from './tenancy-config.js';
import { TenantError, TenantErrorCode } from './tenant.errors.js';
import type { TenantModuleOptions } from './tenant-options.interface.js';

class Tenant extends KwikTenant {}

class PathTenantResolver extends TenantResolver {
  readonly name = 'path';
  resolve(): TenantHint | undefined {
    return undefined;
  }
}

const migration: MigrationInterface = {
  name: 'Notes1700000000000',
  up: async () => {},
  down: async () => {},
};

/** The error `resolveTenancyConfig(options)` throws (fails the test when it does not throw). */
function failureOf(options: Partial<TenantModuleOptions>): TenantError {
  try {
    resolveTenancyConfig({ tenantEntity: Tenant, ...options } as TenantModuleOptions);
  } catch (error) {
    return error as TenantError;
  }
  throw new Error(`resolveTenancyConfig accepted ${JSON.stringify(options)}`);
}

describe('resolveTenancyConfig', () => {
  it('applies every documented default', () => {
    expect(resolveTenancyConfig({ tenantEntity: Tenant })).toEqual({
      tenantEntity: Tenant,
      strategy: 'shared',
      resolvers: ['header', 'subdomain', 'token'],
      required: true,
      header: 'x-tenant-id',
      baseDomains: ['localhost'],
      reservedSubdomains: ['www', 'api', 'admin'],
      tokenClaim: 'tenantId',
      cacheMs: 30_000,
      negativeCacheMs: 5_000,
      cacheSize: 10_000,
      rls: { role: 'kwik_app', setting: 'kwik.tenant_id', verify: true },
      schema: {
        prefix: 'tenant_',
        migrations: [],
        concurrency: 8,
        template: 'kwik_tenant_template',
        migrateOnBoot: true,
      },
      settings: { values: {}, features: {} },
      admin: { permission: 'tenants:manage' },
    });
  });

  it('keeps the options given, normalising header and base domains', () => {
    const path = new PathTenantResolver();
    const settings = defineTenantSettings({ values: { theme: 'light' }, features: { comments: true } });
    const config = resolveTenancyConfig({
      tenantEntity: Tenant,
      strategy: 'schema',
      resolvers: [path, 'token'],
      required: false,
      header: 'X-Org',
      baseDomains: ['Example.COM', '.apps.example.org'],
      reservedSubdomains: ['status'],
      tokenClaim: 'org',
      cacheSeconds: 0,
      negativeCacheSeconds: 1.5,
      cacheSize: 1,
      rls: { role: 'app_user', setting: 'app.org_id', verify: false },
      schema: {
        prefix: 'org_',
        migrations: [migration],
        concurrency: 2,
        template: null,
        migrateOnBoot: false,
      },
      settings,
      admin: { permission: 'orgs:admin' },
    });
    expect(config).toMatchObject({
      strategy: 'schema',
      required: false,
      header: 'x-org',
      baseDomains: ['example.com', 'apps.example.org'],
      reservedSubdomains: ['status'],
      tokenClaim: 'org',
      cacheMs: 0,
      negativeCacheMs: 1_500,
      cacheSize: 1,
      rls: { role: 'app_user', setting: 'app.org_id', verify: false },
      schema: {
        prefix: 'org_',
        migrations: [migration],
        concurrency: 2,
        template: null,
        migrateOnBoot: false,
      },
      settings,
      admin: { permission: 'orgs:admin' },
    });
    expect(config.resolvers).toEqual([path, 'token']);
  });

  it.each<[string, Partial<TenantModuleOptions>, string]>([
    ['no tenant entity', { tenantEntity: undefined }, 'tenantEntity must be'],
    ['an unknown strategy', { strategy: 'database' as never }, "strategy must be 'shared' or 'schema'"],
    ['no resolvers', { resolvers: [] }, 'resolvers must name at least one'],
    ['an unknown resolver', { resolvers: ['header', 'cookie' as never] }, 'resolvers: cookie is neither'],
    ['a header with a space', { header: 'x tenant' }, 'header must be a header name'],
    ['an empty header', { header: '' }, 'header must be a header name'],
    ['a base domain with a space', { baseDomains: ['exa mple.com'] }, 'baseDomains: "exa mple.com"'],
    ['an empty base domain', { baseDomains: ['localhost', '.'] }, 'baseDomains: "" is not a host name'],
    ['a negative cacheSeconds', { cacheSeconds: -1 }, 'cacheSeconds must be a number of seconds'],
    ['an infinite cacheSeconds', { cacheSeconds: Infinity }, 'cacheSeconds must be a number of seconds'],
    ['a NaN negativeCacheSeconds', { negativeCacheSeconds: NaN }, 'negativeCacheSeconds must be'],
    ['a cacheSize of 0', { cacheSize: 0 }, 'cacheSize must be a whole number'],
    ['a fractional cacheSize', { cacheSize: 2.5 }, 'cacheSize must be a whole number'],
    ['an upper-case role', { rls: { role: 'Kwik_App' } }, 'rls.role must be'],
    ['a quoted role', { rls: { role: 'kwik"app' } }, 'rls.role must be'],
    ['a setting without a prefix', { rls: { setting: 'tenant_id' } }, 'rls.setting must look like'],
    ['a setting with a quote', { rls: { setting: "kwik.tenant'id" } }, 'rls.setting must look like'],
    ['a schema prefix with a hyphen', { schema: { prefix: 'tenant-' } }, 'schema.prefix must be'],
    ['a schema concurrency of 0', { schema: { concurrency: 0 } }, 'schema.concurrency must be'],
    ['a template with a space', { schema: { template: 'my template' } }, 'schema.template must be'],
    [
      'a setting whose default breaks its own limit',
      { settings: defineTenantSettings({ values: { maxPosts: { default: 0, min: 1 } } }) },
      'settings: the default of maxPosts must be ≥ 1',
    ],
    [
      'a setting whose default is not one of its choices',
      {
        settings: defineTenantSettings({ values: { theme: { default: 'blue', oneOf: ['light', 'dark'] } } }),
      },
      'settings: the default of theme must be one of light, dark',
    ],
    [
      'a feature without a boolean default',
      { settings: { values: {}, features: { comments: 'yes' as never } } },
      'settings.features.comments must default to true or false',
    ],
    [
      'an admin permission without a verb',
      { admin: { permission: 'manage' } },
      'admin.permission must look like',
    ],
  ])('refuses %s with KWIK_TENANT_INVALID_OPTIONS', (_case, options, problem) => {
    const error = failureOf(options);
    expect(error).toBeInstanceOf(TenantError);
    expect(error.code).toBe(TenantErrorCode.InvalidOptions);
    expect(error.message).toContain(problem);
  });

  it('reports every problem in one error, one line each', () => {
    const error = failureOf({
      strategy: 'database' as never,
      resolvers: ['cookie' as never],
      header: 'x tenant',
      baseDomains: ['exa mple.com'],
      cacheSeconds: -1,
      negativeCacheSeconds: -1,
      cacheSize: 0,
      rls: { role: 'Bad Role', setting: 'nodot' },
      schema: { prefix: 'Bad-', concurrency: 0, template: 'bad template' },
      settings: defineTenantSettings({ values: { maxPosts: { default: 1.5, integer: true } } }),
      admin: { permission: 'manage' },
    });
    expect(error.code).toBe(TenantErrorCode.InvalidOptions);
    const lines = error.message.split('\n').filter((line) => line.startsWith('- '));
    const named = lines.map((line) => line.slice(2).split(/[\s:]/)[0]);
    expect(named.toSorted()).toEqual(
      [
        'strategy',
        'resolvers',
        'header',
        'baseDomains',
        'cacheSeconds',
        'negativeCacheSeconds',
        'cacheSize',
        'rls.role',
        'rls.setting',
        'schema.prefix',
        'schema.concurrency',
        'schema.template',
        'settings',
        'admin.permission',
      ].toSorted(),
    );
  });

  it("refuses strategy 'schema' without the tenant tables' migrations, and accepts it with them", () => {
    const error = failureOf({ strategy: 'schema' });
    expect(error.code).toBe(TenantErrorCode.InvalidOptions);
    expect(error.message).toContain("schema.migrations must list the tenant tables' migrations");
    expect(failureOf({ strategy: 'schema', schema: { migrations: [] } }).message).toContain(
      'schema.migrations',
    );
    expect(
      resolveTenancyConfig({ tenantEntity: Tenant, strategy: 'schema', schema: { migrations: [migration] } })
        .strategy,
    ).toBe('schema');
  });

  it('does not ask for migrations with the shared strategy', () => {
    expect(resolveTenancyConfig({ tenantEntity: Tenant, strategy: 'shared' }).schema.migrations).toEqual([]);
  });

  describe('the result is frozen', () => {
    const config = resolveTenancyConfig({ tenantEntity: Tenant });
    it.each<[string, unknown]>([
      ['the config', config],
      ['resolvers', config.resolvers],
      ['baseDomains', config.baseDomains],
      ['reservedSubdomains', config.reservedSubdomains],
      ['rls', config.rls],
      ['schema', config.schema],
      ['schema.migrations', config.schema.migrations],
      ['settings', config.settings],
      ['settings.values', config.settings.values],
      ['settings.features', config.settings.features],
      ['admin', config.admin],
    ])('%s', (_part, value) => {
      expect(Object.isFrozen(value)).toBe(true);
    });

    it('so a change is refused, not silently applied', () => {
      expect(() => {
        (config as { header: string }).header = 'x-other';
      }).toThrow(TypeError);
      expect(() => {
        (config.rls as { verify: boolean }).verify = false;
      }).toThrow(TypeError);
      expect(config.header).toBe('x-tenant-id');
      expect(config.rls.verify).toBe(true);
    });
  });

  it("leaves the caller's own option arrays mutable", () => {
    const options = {
      tenantEntity: Tenant,
      resolvers: ['header'] as ('header' | 'token')[],
      baseDomains: ['example.com'],
      reservedSubdomains: ['www'],
    };
    const config = resolveTenancyConfig(options);
    options.reservedSubdomains.push('status');
    options.resolvers.push('token');
    expect(config.reservedSubdomains).toEqual(['www']);
    expect(config.resolvers).toEqual(['header']);
  });
});
