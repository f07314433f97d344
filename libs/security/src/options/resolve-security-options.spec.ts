import { describe, expect, it } from 'vitest';
import { KwikError } from '@kwik/core';
import { MemoryRateLimitStore } from '../rate-limit/drivers/memory-rate-limit.store.js';
import { DEFAULT_EXPOSED_HEADERS } from '../security.constants.js';
import type { SecurityModuleOptions } from '../security-options.interface.js';
import { KWIK_CSP_DIRECTIVES } from './resolve-headers.js';
import { resolveSecurityOptions } from './resolve-security-options.js';

/** What `resolveSecurityOptions` threw, or `undefined`. */
function rejection(options: unknown, env: Record<string, string>): unknown {
  try {
    resolveSecurityOptions(options as SecurityModuleOptions, env);
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The problems of an invalid options object, one per line of the error message. */
function problemsOf(options: unknown, env: Record<string, string> = {}): string[] {
  const error = rejection(options, env);
  expect(error).toBeInstanceOf(KwikError);
  expect((error as KwikError).code).toBe('KWIK_SECURITY_INVALID_OPTIONS');
  return (error as Error).message.split('\n- ').slice(1);
}

describe('resolveSecurityOptions', () => {
  it('defaults: every header on, no CORS, both tiers, memory-or-Redis store, 30 s timeout', () => {
    const resolved = resolveSecurityOptions({});
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(resolved.requestTimeoutMs).toBe(30_000);
    expect(resolved.cors).toBe(false);
    expect(resolved.helmet).toMatchObject({
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true, preload: false },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: ['no-referrer'] },
      contentSecurityPolicy: { useDefaults: false, directives: KWIK_CSP_DIRECTIVES, reportOnly: false },
    });
    expect(resolved.rateLimit).toMatchObject({
      enabled: true,
      store: 'auto',
      keyPrefix: 'kwik:rl:',
      onStoreError: 'open',
      storeTimeoutMs: 1000,
      excludePaths: ['/health'],
      anonymous: { name: 'anonymous', limit: 60, windowMs: 60_000, by: 'ip' },
      authenticated: { name: 'authenticated', limit: 600, windowMs: 60_000, by: 'user' },
    });
  });

  it('completes a partial tier from its defaults; false turns a tier or everything off', () => {
    const tiers = resolveSecurityOptions({ rateLimit: { anonymous: { limit: 10 }, authenticated: false } });
    expect(tiers.rateLimit.anonymous).toMatchObject({ limit: 10, windowMs: 60_000, name: 'anonymous' });
    expect(tiers.rateLimit.authenticated).toBeNull();
    expect(resolveSecurityOptions({ rateLimit: false }).rateLimit.enabled).toBe(false);
  });

  it('accepts a store instance', () => {
    const store = new MemoryRateLimitStore();
    expect(resolveSecurityOptions({ rateLimit: { store } }).rateLimit.store).toBe(store);
    store.onApplicationShutdown();
  });

  it('builds CORS options with the default exposed headers, and subdomain wildcards', () => {
    const { cors } = resolveSecurityOptions({
      cors: { origins: ['https://app.example.com', 'https://*.example.org:8443'], credentials: true },
    });
    if (cors === false) throw new Error('expected CORS');
    expect(cors).toMatchObject({
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: [...DEFAULT_EXPOSED_HEADERS],
      maxAge: 600,
    });
    const [exact, wildcard] = cors.origin as [string, RegExp];
    expect(exact).toBe('https://app.example.com');
    expect(
      ['https://a.example.org:8443', 'https://a.b.example.org:8443'].every((o) => wildcard.test(o)),
    ).toBe(true);
    expect(
      ['https://example.org:8443', 'https://a.example.org', 'https://a.example.org.evil.com:8443'].some((o) =>
        wildcard.test(o),
      ),
    ).toBe(false);
  });

  it.each([
    [
      'a list',
      'https://a.example.com, http://localhost:5173',
      ['https://a.example.com', 'http://localhost:5173'],
    ],
    ['any origin', '*', '*'],
  ])('reads CORS_ORIGINS (%s) when cors.origins is not given', (_name, env, origin) => {
    const { cors } = resolveSecurityOptions({}, { CORS_ORIGINS: env });
    expect(cors && cors.origin).toEqual(origin);
  });

  it('cors.origins and cors: false win over CORS_ORIGINS', () => {
    const env = { CORS_ORIGINS: '*' };
    const { cors } = resolveSecurityOptions({ cors: { origins: ['https://a.example.com'] } }, env);
    expect(cors && cors.origin).toEqual(['https://a.example.com']);
    expect(resolveSecurityOptions({ cors: false }, env).cors).toBe(false);
  });

  it("refuses '*' with credentials, with a fix naming where the '*' came from", () => {
    expect(problemsOf({ cors: { origins: '*', credentials: true } })[0]).toMatch(
      /^cors\.origins is '\*' with cors\.credentials: true, which browsers refuse.*List the origins/,
    );
    expect(problemsOf({ cors: { credentials: true } }, { CORS_ORIGINS: '*' })[0]).toMatch(
      /^CORS_ORIGINS is '\*'.*CORS_ORIGINS=https:\/\/app\.example\.com/,
    );
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      requestTimeout: -1,
      rateLimits: {},
      headers: {
        hsts: { maxAge: 60, preload: true },
        frameOptions: 'allow',
        referrerPolicy: 'never',
        contentSecurityPolicy: { directives: { 'script-src': ['self'], imgSrc: ["'self'"] } },
      },
      cors: { origins: ['https://app.example.com/', '*', 'ftp://x'], methods: ['get'], maxAge: -5 },
      rateLimit: {
        anonymous: { limit: 0 },
        authenticated: { window: '1.5s', extra: 1 },
        store: 'postgres',
        onStoreError: 'retry',
        storeTimeoutMs: 0,
        excludePaths: ['health'],
      },
    });
    const expected = [
      /^SecurityModule options: unknown option 'rateLimits'/,
      /^requestTimeout must be whole milliseconds ≥ 0 \(0 disables\), got -1/,
      /^headers\.frameOptions must be 'deny', 'sameorigin' or false \(got "allow"\)/,
      /^headers\.contentSecurityPolicy\.directives: 'imgSrc' is not a directive name/,
      /^headers\.contentSecurityPolicy: .*"self" should be quoted/,
      /^headers\.hsts\.preload needs includeSubDomains: true and maxAge ≥ 31536000/,
      /^headers\.referrerPolicy must be one or more of no-referrer, /,
      /^cors\.methods must be a non-empty list of upper-case HTTP methods/,
      /^cors\.maxAge must be whole seconds ≥ 0 \(got -5\)/,
      /^cors\.origins: "https:\/\/app\.example\.com\/" is not an origin; write scheme:\/\/host\[:port\]/,
      /^cors\.origins: '\*' must be the whole value/,
      /^cors\.origins: "ftp:\/\/x" is not an origin/,
      /^rateLimit\.store must be 'auto', 'memory', 'redis' or a RateLimitStore instance \(got "postgres"\)/,
      /^rateLimit\.onStoreError must be 'open' or 'closed' \(got "retry"\)/,
      /^rateLimit\.storeTimeoutMs must be whole milliseconds ≥ 1 \(got 0\)/,
      /^rateLimit\.excludePaths must be a list of paths starting with '\/'/,
      /^rateLimit\.anonymous\.limit must be a whole number ≥ 1 \(got 0\)/,
      /^rateLimit\.authenticated: unknown option 'extra'/,
      /^rateLimit\.authenticated\.window must be whole seconds/,
    ];
    expect(problems).toEqual(
      expect.arrayContaining(expected.map((pattern) => expect.stringMatching(pattern))),
    );
    expect(problems).toHaveLength(expected.length);
  });

  it.each([
    ['options that are not an object', 'strict', /^SecurityModule options must be an object/],
    ['headers not an object', { headers: 'all' }, /^headers must be an object or false/],
    ['cors not an object', { cors: true }, /^cors must be an object or false/],
    ['rateLimit not an object', { rateLimit: 100 }, /^rateLimit must be an object or false/],
    ['a tier not an object', { rateLimit: { anonymous: 5 } }, /^rateLimit\.anonymous must be an object/],
    [
      'a CSP source list not a list',
      { headers: { contentSecurityPolicy: { extend: { 'img-src': 'x' } } } },
      /extend\['img-src'\] must be an array/,
    ],
  ])('rejects %s', (_name, options, pattern) => {
    expect(problemsOf(options)[0]).toMatch(pattern);
  });
});
