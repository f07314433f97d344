import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSecurityApp, type BootedApp } from './fixtures/boot.js';

describe('security headers', () => {
  let booted: BootedApp;
  let custom: BootedApp;
  let off: BootedApp;

  beforeAll(async () => {
    [booted, custom, off] = await Promise.all([
      bootSecurityApp(),
      bootSecurityApp({
        security: {
          headers: {
            contentSecurityPolicy: {
              directives: { 'img-src': ["'self'", 'https://cdn.example.com'], 'font-src': null },
              extend: { 'connect-src': ['https://api.example.com'] },
            },
            hsts: { maxAge: 600, includeSubDomains: false },
            frameOptions: 'sameorigin',
            referrerPolicy: 'strict-origin-when-cross-origin',
          },
        },
      }),
      bootSecurityApp({ security: { headers: false } }),
    ]);
  });
  afterAll(() => Promise.all([booted?.close(), custom?.close(), off?.close()]));

  it.each([
    ['a Nest route', '/things'],
    ['a 404', '/nope'],
    ['the liveness route (plain Fastify)', '/health/live'],
    ['the docs UI', '/docs'],
  ])('are sent on %s', async (_name, path) => {
    const res = await booted.get(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('follow the options: directives replaced, removed and extended; HSTS, framing, referrer', async () => {
    const res = await custom.get('/things');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' https://cdn.example.com");
    expect(csp).not.toContain('font-src');
    expect(csp).toContain("connect-src 'self' https://api.example.com");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers.get('strict-transport-security')).toBe('max-age=600');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('are not sent with headers: false', async () => {
    const res = await off.get('/things');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
