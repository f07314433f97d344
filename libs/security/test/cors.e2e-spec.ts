import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPOSED_HEADERS } from '@kwik/security';
import { bootSecurityApp, type BootedApp } from './fixtures/boot.js';

const preflight = (app: BootedApp, origin: string, method = 'PATCH') =>
  fetch(`${app.baseUrl}/things`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization',
    },
  });

describe('CORS', () => {
  let listed: BootedApp;
  let fromEnv: BootedApp;
  let none: BootedApp;

  beforeAll(async () => {
    listed = await bootSecurityApp({
      security: {
        cors: { origins: ['https://app.example.com', 'https://*.example.org'], credentials: true },
      },
    });
    const saved = process.env.CORS_ORIGINS;
    process.env.CORS_ORIGINS = 'https://env.example.com';
    try {
      fromEnv = await bootSecurityApp();
    } finally {
      if (saved === undefined) delete process.env.CORS_ORIGINS;
      else process.env.CORS_ORIGINS = saved;
    }
    none = await bootSecurityApp();
  });
  afterAll(() => Promise.all([listed?.close(), fromEnv?.close(), none?.close()]));

  it.each(['https://app.example.com', 'https://eu.example.org', 'https://a.b.example.org'])(
    'allows a preflight from %s',
    async (origin) => {
      const res = await preflight(listed, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
      expect(res.headers.get('access-control-allow-headers')).toBe('authorization');
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('vary')).toMatch(/origin/i);
    },
  );

  it.each([
    'https://evil.example.com',
    'https://example.org',
    'https://example.org.evil.net',
    'http://app.example.com',
  ])('denies a preflight from %s (no Access-Control-Allow-Origin)', async (origin) => {
    const res = await preflight(listed, origin);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes the Kwik headers on an allowed response, rate-limit headers included', async () => {
    const res = await listed.get('/things', { origin: 'https://app.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toBe(DEFAULT_EXPOSED_HEADERS.join(', '));
    expect(res.headers.get('ratelimit')).toMatch(/^"anonymous";r=\d+;t=\d+$/);
  });

  it('reads the allowed origins from CORS_ORIGINS when the options name none', async () => {
    expect(
      (await preflight(fromEnv, 'https://env.example.com')).headers.get('access-control-allow-origin'),
    ).toBe('https://env.example.com');
    expect(
      (await preflight(fromEnv, 'https://app.example.com')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await preflight(none, 'https://app.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const get = await none.get('/things', { origin: 'https://app.example.com' });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });
});
