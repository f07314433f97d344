import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  checkSettingValue,
  defaultOf,
  defineTenantSettings,
  type TenantSettingSpec,
  type TenantSettingValue,
} from './tenant-settings.definition.js';

describe('defineTenantSettings', () => {
  it('keeps the declared settings and feature flags', () => {
    const settings = defineTenantSettings({
      values: { maxPosts: { default: 100, min: 1, integer: true }, greeting: 'hello' },
      features: { comments: true, search: false },
    });
    expect(settings).toEqual({
      values: { maxPosts: { default: 100, min: 1, integer: true }, greeting: 'hello' },
      features: { comments: true, search: false },
    });
  });

  it.each([
    ['nothing', {}],
    ['only settings', { values: { theme: 'light' } }],
    ['only features', { features: { comments: true } }],
  ])('fills what is left out with nothing (%s)', (_case, input) => {
    const settings = defineTenantSettings(input);
    expect(settings.values).toEqual('values' in input ? input.values : {});
    expect(settings.features).toEqual('features' in input ? input.features : {});
  });

  it('returns a frozen copy: later changes to the input or the result do not count', () => {
    const values: Record<string, TenantSettingSpec> = { theme: 'light' };
    const features: Record<string, boolean> = { comments: true };
    const settings = defineTenantSettings({ values, features });
    values.extra = 1;
    features.comments = false;
    expect(settings.values).toEqual({ theme: 'light' });
    expect(settings.features).toEqual({ comments: true });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.values)).toBe(true);
    expect(Object.isFrozen(settings.features)).toBe(true);
    expect(() => {
      (settings.features as Record<string, boolean>).comments = false;
    }).toThrow(TypeError);
  });

  it('types each value after its default', () => {
    const settings = defineTenantSettings({
      values: {
        maxPosts: { default: 100, min: 1 },
        greeting: 'hello',
        retries: 3,
        beta: false,
      },
    });
    type Values = (typeof settings)['values'];
    expectTypeOf<TenantSettingValue<Values['maxPosts']>>().toEqualTypeOf<number>();
    expectTypeOf<TenantSettingValue<Values['greeting']>>().toEqualTypeOf<string>();
    expectTypeOf<TenantSettingValue<Values['retries']>>().toEqualTypeOf<number>();
    expectTypeOf<TenantSettingValue<Values['beta']>>().toEqualTypeOf<boolean>();
  });
});

describe('defaultOf', () => {
  it.each<[TenantSettingSpec, string | number | boolean]>([
    ['light', 'light'],
    [3, 3],
    [false, false],
    [{ default: 'dark', oneOf: ['light', 'dark'] }, 'dark'],
    [{ default: 10, min: 1, max: 100 }, 10],
  ])('of %j is %j', (spec, value) => {
    expect(defaultOf(spec)).toBe(value);
  });
});

describe('checkSettingValue', () => {
  const theme = { default: 'light', oneOf: ['light', 'dark'] } as const;
  const limit = { default: 10, min: 1, max: 100, integer: true } as const;
  const ratio = { default: 0.5, min: 0, max: 1 } as const;

  it.each<[string, TenantSettingSpec, unknown]>([
    ['a string', 'hello', 'bonjour'],
    ['an empty string', 'hello', ''],
    ['a number', 3, -7.25],
    ['a boolean', true, false],
    ['one of the choices', theme, 'dark'],
    ['the lower limit', limit, 1],
    ['the upper limit', limit, 100],
    ['a whole number in range', limit, 42],
    ['a fraction where fractions are allowed', ratio, 0.25],
    ['a number without limits', { default: 5 }, -1e9],
  ])('accepts %s', (_case, spec, value) => {
    expect(checkSettingValue('x', spec, value)).toBeUndefined();
  });

  it.each<[string, TenantSettingSpec, unknown, string]>([
    ['a number for a string', 'hello', 42, 'settings.x must be a string'],
    ['a string for a number', 3, '3', 'settings.x must be a number'],
    ['a string for a boolean', true, 'true', 'settings.x must be a boolean'],
    ['a number for a boolean', true, 1, 'settings.x must be a boolean'],
    ['null', 3, null, 'settings.x must be a number'],
    ['nothing', 'hello', undefined, 'settings.x must be a string'],
    ['an array', 'hello', ['hello'], 'settings.x must be a string'],
    ['a value outside the choices', theme, 'blue', 'settings.x must be one of light, dark'],
    ['a choice in another case', theme, 'Dark', 'settings.x must be one of light, dark'],
    ['a number for a choice', theme, 1, 'settings.x must be a string'],
    ['a value below the minimum', limit, 0, 'settings.x must be ≥ 1'],
    ['a value above the maximum', limit, 101, 'settings.x must be ≤ 100'],
    ['a fraction for a whole number', limit, 1.5, 'settings.x must be a whole number'],
    ['a negative fraction below the minimum', ratio, -0.1, 'settings.x must be ≥ 0'],
    ['NaN with limits', limit, NaN, 'settings.x must be a finite number'],
    ['Infinity with limits', ratio, Infinity, 'settings.x must be a finite number'],
    ['-Infinity without limits', { default: 5 }, -Infinity, 'settings.x must be a finite number'],
    ['NaN for a plain number', 3, NaN, 'settings.x must be a finite number'],
    ['Infinity for a plain number', 3, Infinity, 'settings.x must be a finite number'],
  ])('refuses %s', (_case, spec, value, problem) => {
    expect(checkSettingValue('x', spec, value)).toBe(problem);
  });

  it('names the setting in the problem', () => {
    expect(checkSettingValue('maxPostsPerDay', limit, 0)).toBe('settings.maxPostsPerDay must be ≥ 1');
  });
});
