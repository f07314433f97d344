import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ProblemException, type KwikPrincipal } from '@kwik/core';
import { TenantProblemKind } from '../../tenant.problems.js';
import { HeaderTenantResolver } from './header-tenant.resolver.js';
import { SubdomainTenantResolver } from './subdomain-tenant.resolver.js';
import { TokenTenantResolver } from './token-tenant.resolver.js';

/** A request as Fastify hands it over: Node lower-cases header names; repeated ones may arrive as arrays. */
function request(headers: Record<string, string | string[] | undefined>): FastifyRequest {
  return { headers } as unknown as FastifyRequest;
}

describe('HeaderTenantResolver', () => {
  const resolver = new HeaderTenantResolver('x-tenant-id');

  it.each<[string, string | string[], string]>([
    ['a slug', 'acme', 'acme'],
    ['upper case', 'ACME', 'acme'],
    ['mixed case with digits and hyphens', 'Acme-EU-2', 'acme-eu-2'],
    ['surrounding spaces', '  globex ', 'globex'],
    ['a single-character slug', 'a', 'a'],
    ['a 63-character slug', 'a'.repeat(63), 'a'.repeat(63)],
    ['a repeated header (the first one counts)', ['globex', 'acme'], 'globex'],
  ])('names the tenant by %s', (_case, value, slug) => {
    expect(resolver.resolve(request({ 'x-tenant-id': value }))).toEqual({ slug, source: 'header' });
  });

  it('names no tenant when the header is absent', () => {
    expect(resolver.resolve(request({ host: 'acme.localhost', 'x-other': 'acme' }))).toBeUndefined();
  });

  it('reads the configured header', () => {
    const custom = new HeaderTenantResolver('x-org');
    expect(custom.resolve(request({ 'x-org': 'initech', 'x-tenant-id': 'acme' }))).toEqual({
      slug: 'initech',
      source: 'header',
    });
    expect(custom.resolve(request({ 'x-tenant-id': 'acme' }))).toBeUndefined();
  });

  it.each<[string, string | string[]]>([
    ['an empty value', ''],
    ['only spaces', '   '],
    ['a space inside', 'not a slug!'],
    ['an underscore', 'ac_me'],
    ['a dot', 'acme.eu'],
    ['a leading hyphen', '-acme'],
    ['a trailing hyphen', 'acme-'],
    ['non-ASCII letters', 'acmé'],
    ['a 64-character slug', 'a'.repeat(64)],
    ['a SQL fragment', "acme' OR '1'='1"],
    ['an empty repeated header', []],
    ['a malformed first of several', ['bad slug', 'acme']],
  ])('answers %s with a 400 tenant-invalid problem', (_case, value) => {
    let thrown: unknown;
    try {
      resolver.resolve(request({ 'x-tenant-id': value }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    const { problem } = thrown as ProblemException;
    expect(problem).toMatchObject({ status: 400, kind: TenantProblemKind.Invalid });
    expect(problem.detail).toContain('x-tenant-id');
  });

  it('quotes at most 80 characters of a malformed value back', () => {
    const long = `${'x'.repeat(200)}!`;
    expect(() => resolver.resolve(request({ 'x-tenant-id': long }))).toThrow(
      expect.objectContaining({
        problem: expect.objectContaining({ detail: expect.not.stringContaining('x'.repeat(81)) }),
      }),
    );
  });
});

describe('SubdomainTenantResolver', () => {
  const resolver = new SubdomainTenantResolver(['localhost', 'example.com'], ['www', 'api', 'admin']);
  const slugOf = (host: string | undefined, r = resolver): string | undefined => {
    const hint = r.resolve(request({ host }));
    return hint && 'slug' in hint ? hint.slug : undefined;
  };

  it.each<[string, string]>([
    ['acme.localhost', 'acme'],
    ['acme.localhost:3000', 'acme'],
    ['globex.example.com', 'globex'],
    ['globex.example.com:8443', 'globex'],
    ['ACME.Example.COM', 'acme'],
    ['acme-eu.localhost', 'acme-eu'],
    ['0day.example.com', '0day'],
  ])('names the tenant of %s: %s', (host, slug) => {
    expect(resolver.resolve(request({ host }))).toEqual({ slug, source: 'subdomain' });
  });

  it.each<[string, string | undefined]>([
    ['no Host header', undefined],
    ['the base domain itself', 'localhost'],
    ['the base domain with a port', 'example.com:3000'],
    ['an IPv4 address', '127.0.0.1:3000'],
    ['an IPv6 address', '[::1]:3000'],
    ['an IPv6 address without a port', '[::1]'],
    ['the www label', 'www.example.com'],
    ['the api label with a port', 'api.localhost:3000'],
    ['the admin label in upper case', 'ADMIN.example.com'],
    ['a deeper name', 'eu.acme.example.com'],
    ['a deeper name with a port', 'a.b.localhost:3000'],
    ['another domain', 'acme.example.org'],
    ['a domain that merely ends like a base domain', 'acme.notexample.com'],
    ['a base domain inside another domain', 'acme.example.com.evil.io'],
    ['a label glued to the base domain', 'acmeexample.com'],
    ['a label that is not a slug', 'ac_me.localhost'],
    ['a label with a trailing hyphen', 'acme-.localhost'],
  ])('names no tenant for %s', (_case, host) => {
    expect(slugOf(host)).toBeUndefined();
  });

  it('uses the configured reserved labels only', () => {
    const custom = new SubdomainTenantResolver(['localhost'], ['status']);
    expect(slugOf('status.localhost', custom)).toBeUndefined();
    expect(slugOf('www.localhost', custom)).toBe('www');
  });

  const nestedOrders: [string, readonly string[]][] = [
    ['the wider base domain listed first', ['example.com', 'eu.example.com']],
    ['the narrower base domain listed first', ['eu.example.com', 'example.com']],
  ];

  it.each(nestedOrders)('with nested base domains (%s) names the tenant under each', (_case, baseDomains) => {
    const nested = new SubdomainTenantResolver(baseDomains, ['www']);
    expect(slugOf('acme.example.com', nested)).toBe('acme');
    expect(slugOf('globex.eu.example.com:8080', nested)).toBe('globex');
    expect(slugOf('www.eu.example.com', nested)).toBeUndefined();
    expect(slugOf('a.b.eu.example.com', nested)).toBeUndefined();
  });

  it.each(nestedOrders)(
    'with nested base domains (%s) a host that is itself a base domain names no tenant',
    (_case, baseDomains) => {
      expect(slugOf('eu.example.com', new SubdomainTenantResolver(baseDomains, ['www']))).toBeUndefined();
    },
  );
});

function principal(extra: Record<string, unknown>): KwikPrincipal {
  return { id: 'user-1', ...extra };
}

describe('TokenTenantResolver', () => {
  const id = '0b6d4f3e-9a51-4c1e-8f0e-2f6a1f7f3c11';

  it("names the tenant by the id in the principal's claim", () => {
    expect(new TokenTenantResolver('tenantId').resolve(request({}), principal({ tenantId: id }))).toEqual({
      id,
      source: 'token',
    });
  });

  it('reads the configured claim', () => {
    const resolver = new TokenTenantResolver('org');
    expect(resolver.resolve(request({}), principal({ org: id, tenantId: 'other' }))).toEqual({
      id,
      source: 'token',
    });
    expect(resolver.resolve(request({}), principal({ tenantId: id }))).toBeUndefined();
  });

  it.each<[string, KwikPrincipal | undefined]>([
    ['no principal', undefined],
    ['a principal without the claim', principal({})],
    ['an empty claim', principal({ tenantId: '' })],
    ['a null claim', principal({ tenantId: null })],
    ['a numeric claim', principal({ tenantId: 42 })],
    ['an object claim', principal({ tenantId: { id } })],
  ])('names no tenant with %s', (_case, who) => {
    expect(new TokenTenantResolver('tenantId').resolve(request({}), who)).toBeUndefined();
  });

  it('ignores headers: only the credentials name the tenant', () => {
    expect(
      new TokenTenantResolver('tenantId').resolve(request({ 'x-tenant-id': 'acme' }), undefined),
    ).toBeUndefined();
  });
});
