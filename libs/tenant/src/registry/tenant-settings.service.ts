import { Inject, Injectable } from '@nestjs/common';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import { TenantContext } from '../context/tenant-context.service.js';
import type { TenantRecord } from '../resolution/tenant-record.js';
import type { TenantSettingsDocument } from '../entities/kwik-tenant.entity.js';
import {
  checkSettingValue,
  defaultOf,
  type TenantFeatureKey,
  type TenantSettingKey,
  type TenantSettingValue,
  type TenantSettingsDefinition,
} from './tenant-settings.definition.js';

/** Every setting and flag of a tenant, overrides applied. */
export interface EffectiveTenantSettings {
  values: Record<string, string | number | boolean>;
  features: Record<string, boolean>;
}

/**
 * Typed reads of the current tenant's settings and feature flags: its override, else the declared
 * default. Inject as `TenantSettings<typeof yourDefinition>` for typed keys and values.
 *
 * @example
 * constructor(private readonly settings: TenantSettings<typeof demoSettings>) {}
 * if (!this.settings.enabled('comments')) throw new ForbiddenException();
 * const max = this.settings.value('maxPostsPerDay'); // number
 */
@Injectable()
export class TenantSettings<D extends TenantSettingsDefinition = TenantSettingsDefinition> {
  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    private readonly tenants: TenantContext,
  ) {}

  /** A setting of `tenant` (default: the current one). */
  value<K extends TenantSettingKey<D>>(key: K, tenant?: TenantRecord): TenantSettingValue<D['values'][K]> {
    const spec = this.config.settings.values[key];
    if (spec === undefined) throw new RangeError(`Unknown tenant setting "${key}"`);
    const override = (tenant ?? this.tenants.require()).settings.values?.[key];
    return (override === undefined ? defaultOf(spec) : override) as TenantSettingValue<D['values'][K]>;
  }

  /** Whether a feature flag is on for `tenant` (default: the current one). */
  enabled<K extends TenantFeatureKey<D>>(feature: K, tenant?: TenantRecord): boolean {
    const fallback = this.config.settings.features[feature];
    if (fallback === undefined) throw new RangeError(`Unknown tenant feature "${feature}"`);
    return (tenant ?? this.tenants.require()).settings.features?.[feature] ?? fallback;
  }

  /** Every setting and flag of `tenant`, overrides applied. */
  effective(tenant: { settings: Readonly<TenantSettingsDocument> }): EffectiveTenantSettings {
    const values: EffectiveTenantSettings['values'] = {};
    for (const [name, spec] of Object.entries(this.config.settings.values))
      values[name] =
        (tenant.settings.values?.[name] as string | number | boolean | undefined) ?? defaultOf(spec);
    const features: Record<string, boolean> = {};
    for (const [name, on] of Object.entries(this.config.settings.features))
      features[name] = tenant.settings.features?.[name] ?? on;
    return { values, features };
  }

  /** What is wrong with an override patch (unknown names, wrong types, out of range); empty when nothing. */
  check(patch: TenantSettingsDocument): string[] {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(patch.values ?? {})) {
      const spec = this.config.settings.values[name];
      if (spec === undefined) problems.push(`settings.values.${name} is not a declared setting`);
      else if (value !== null) {
        const problem = checkSettingValue(name, spec, value);
        if (problem) problems.push(problem.replace('settings.', 'settings.values.'));
      }
    }
    for (const [name, value] of Object.entries(patch.features ?? {})) {
      if (this.config.settings.features[name] === undefined)
        problems.push(`settings.features.${name} is not a declared feature`);
      else if (value !== null && typeof value !== 'boolean')
        problems.push(`settings.features.${name} must be true, false or null`);
    }
    return problems;
  }
}
