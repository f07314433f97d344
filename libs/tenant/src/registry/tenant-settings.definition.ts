/** A setting's default, or its default with limits. */
export type TenantSettingSpec =
  | string
  | number
  | boolean
  | { readonly default: string; readonly oneOf?: readonly string[] }
  | { readonly default: number; readonly min?: number; readonly max?: number; readonly integer?: boolean };

/** Declared per-tenant settings (with defaults) and feature flags (with their default state). */
export interface TenantSettingsDefinition {
  readonly values: Readonly<Record<string, TenantSettingSpec>>;
  readonly features: Readonly<Record<string, boolean>>;
}

/** The value type of a setting spec. */
export type TenantSettingValue<S> = S extends { oneOf: readonly (infer O)[] }
  ? O
  : S extends { default: infer D }
    ? D extends string
      ? string
      : D extends number
        ? number
        : never
    : S extends string
      ? string
      : S extends number
        ? number
        : S extends boolean
          ? boolean
          : never;

/** Setting names of a definition. */
export type TenantSettingKey<D extends TenantSettingsDefinition> = keyof D['values'] & string;
/** Feature flag names of a definition. */
export type TenantFeatureKey<D extends TenantSettingsDefinition> = keyof D['features'] & string;

/**
 * Declares the settings and feature flags every tenant has, with their defaults; a tenant's row
 * stores only its overrides. Pass it as `TenantModule.forRoot({ settings })` and inject
 * `TenantSettings<typeof definition>` for typed reads.
 *
 * @example
 * export const demoSettings = defineTenantSettings({
 *   values: { maxPostsPerDay: { default: 100, min: 1, integer: true }, theme: { default: 'light', oneOf: ['light', 'dark'] as const } },
 *   features: { comments: true, search: true },
 * });
 * // settings.value('theme') → 'light' | 'dark'; settings.enabled('comments') → boolean
 */
export function defineTenantSettings<
  const V extends Record<string, TenantSettingSpec>,
  const F extends Record<string, boolean>,
>(definition: { values?: V; features?: F }): { readonly values: V; readonly features: F } {
  return Object.freeze({
    values: Object.freeze({ ...definition.values }) as V,
    features: Object.freeze({ ...definition.features }) as F,
  });
}

/** The default of a spec. */
export function defaultOf(spec: TenantSettingSpec): string | number | boolean {
  return typeof spec === 'object' ? spec.default : spec;
}

/** Why `value` cannot be stored for `name`, or undefined when it can. */
export function checkSettingValue(name: string, spec: TenantSettingSpec, value: unknown): string | undefined {
  const fallback = defaultOf(spec);
  if (typeof value !== typeof fallback) return `settings.${name} must be a ${typeof fallback}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `settings.${name} must be a finite number`;
  if (typeof spec !== 'object') return undefined;
  if ('oneOf' in spec && spec.oneOf && !spec.oneOf.includes(value as string))
    return `settings.${name} must be one of ${spec.oneOf.join(', ')}`;
  if (typeof value === 'number') {
    const limits = spec as { min?: number; max?: number; integer?: boolean };
    if (limits.integer && !Number.isInteger(value)) return `settings.${name} must be a whole number`;
    if (limits.min !== undefined && value < limits.min) return `settings.${name} must be ≥ ${limits.min}`;
    if (limits.max !== undefined && value > limits.max) return `settings.${name} must be ≤ ${limits.max}`;
  }
  return undefined;
}
