import { describe, expect, it } from 'vitest';
import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';
import { assertSchemaName, quoteSchemaName, tenantSchemaName } from './tenant-schema-name.js';

const LONGEST_SLUG = `a${'b'.repeat(54)}c`; // 56 characters: 7 + 56 = 63 bytes with 'tenant_'

describe('tenantSchemaName', () => {
  it.each([
    ['acme', undefined, 'tenant_acme'],
    ['acme-eu', undefined, 'tenant_acme_eu'],
    ['a', undefined, 'tenant_a'],
    ['0day', undefined, 'tenant_0day'],
    ['x-1-y', 't_', 't_x_1_y'],
    ['acme', '_', '_acme'],
    [LONGEST_SLUG, undefined, `tenant_${LONGEST_SLUG}`],
  ])('names the schema of slug %j (prefix %j) %j', (slug, prefix, expected) => {
    expect(tenantSchemaName(slug, prefix)).toBe(expected);
  });

  it.each([
    ['an empty slug', '', undefined],
    ['upper case', 'Acme', undefined],
    ['a leading hyphen', '-acme', undefined],
    ['a trailing hyphen', 'acme-', undefined],
    ['an underscore', 'ac_me', undefined],
    ['a dot', 'ac.me', undefined],
    ['a quote', 'ac"me', undefined],
    ['a space', 'ac me', undefined],
    ['non-ASCII', 'acmé', undefined],
    ['a 64-character slug', 'a'.repeat(64), undefined],
    ['a result over 63 bytes', `${LONGEST_SLUG}d`, undefined],
    ['a prefix in upper case', 'acme', 'Tenant_'],
    ['a prefix with a hyphen', 'acme', 'tenant-'],
    ['a prefix starting with a digit', 'acme', '1_'],
    ['the reserved pg_ prefix', 'acme', 'pg_'],
    ['an empty prefix', 'acme', ''],
  ])('refuses %s', (_case, slug, prefix) => {
    const call = (): string => tenantSchemaName(slug, prefix);
    expect(call).toThrow(TenantSchemaError);
    expect(call).toThrow(expect.objectContaining({ code: TenantSchemaErrorCode.InvalidSchemaName }));
  });

  it('says how long the slug may be with that prefix', () => {
    expect(() => tenantSchemaName('a'.repeat(60), 'tenant_')).toThrow(/at most 56 characters/);
  });
});

describe('assertSchemaName', () => {
  it.each(['tenant_acme', 'kwik_tenant_template', 'Mixed Case', 'x'.repeat(63), 'é'.repeat(31)])(
    'accepts %j',
    (name) => {
      expect(assertSchemaName(name)).toBe(name);
    },
  );

  it.each([
    ['empty', ''],
    ['NUL', 'a\0b'],
    ['64 bytes', 'x'.repeat(64)],
    ['64 bytes of two-byte characters', 'é'.repeat(32)],
    ['public', 'public'],
    ['information_schema', 'information_schema'],
    ['pg_catalog', 'pg_catalog'],
    ['pg_temp_1', 'pg_temp_1'],
  ])('refuses %s', (_case, name) => {
    expect(() => assertSchemaName(name)).toThrow(
      expect.objectContaining({ code: TenantSchemaErrorCode.InvalidSchemaName }),
    );
  });
});

describe('quoteSchemaName', () => {
  it.each([
    ['tenant_acme', '"tenant_acme"'],
    ['we"ird', '"we""ird"'],
    ['Mixed', '"Mixed"'],
  ])('quotes %j as %s', (name, quoted) => {
    expect(quoteSchemaName(name)).toBe(quoted);
  });
});
