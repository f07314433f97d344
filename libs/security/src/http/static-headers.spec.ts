import helmet, { type HelmetOptions } from 'helmet';
import { describe, expect, it } from 'vitest';
import { staticHelmetHeaders } from './static-headers.js';

const computed = (options: HelmetOptions) => staticHelmetHeaders(helmet(options), options);

describe('staticHelmetHeaders', () => {
  it('records what helmet sets, names lowercased', () => {
    const headers = computed({ xFrameOptions: { action: 'sameorigin' } })!;
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it.each([
    [
      'a CSP nonce directive',
      { contentSecurityPolicy: { directives: { 'script-src': [() => "'nonce-x'"] } } },
    ],
    [
      'a value among literal ones',
      { contentSecurityPolicy: { directives: { 'style-src': ["'self'", () => "'nonce-y'"] } } },
    ],
  ] as [string, HelmetOptions][])(
    'is undefined when the headers may vary per request: %s',
    (_name, options) => {
      expect(computed(options)).toBeUndefined();
    },
  );

  it('leaves out headers that are turned off', () => {
    const headers = computed({ contentSecurityPolicy: false, strictTransportSecurity: false })!;
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});
