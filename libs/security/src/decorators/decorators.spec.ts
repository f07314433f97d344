import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { KwikError } from '@kwik/core';
import {
  RATE_LIMIT_METADATA,
  REQUEST_TIMEOUT_METADATA,
  SKIP_RATE_LIMIT_METADATA,
} from '../security.constants.js';
import { RateLimit } from './rate-limit.decorator.js';
import { RequestTimeout } from './request-timeout.decorator.js';
import { SkipRateLimit } from './skip-rate-limit.decorator.js';

@RateLimit({ limit: 10, window: '1m' })
@SkipRateLimit()
@RequestTimeout(5000)
class Decorated {
  @RateLimit({ limit: 2, window: '30s', by: 'ip', name: 'strict' })
  @SkipRateLimit(false)
  @RequestTimeout(0)
  handler(): void {}

  plain(): void {}
}

describe('decorators', () => {
  const reflector = new Reflector();
  const read = (key: string, method: keyof Decorated) =>
    reflector.getAllAndOverride(key, [Decorated.prototype[method], Decorated]);

  it('store the resolved policy; the method wins over its class', () => {
    expect(read(RATE_LIMIT_METADATA, 'handler')).toMatchObject({
      name: 'strict',
      limit: 2,
      windowMs: 30_000,
      by: 'ip',
    });
    expect(read(RATE_LIMIT_METADATA, 'plain')).toMatchObject({ name: 'default', limit: 10, by: 'user' });
    expect(read(SKIP_RATE_LIMIT_METADATA, 'handler')).toBe(false);
    expect(read(SKIP_RATE_LIMIT_METADATA, 'plain')).toBe(true);
    expect(read(REQUEST_TIMEOUT_METADATA, 'handler')).toBe(0);
    expect(read(REQUEST_TIMEOUT_METADATA, 'plain')).toBe(5000);
  });

  it.each([
    [
      '@RateLimit() with limit 0',
      () => RateLimit({ limit: 0, window: '1m' }),
      /limit must be a whole number ≥ 1/,
    ],
    [
      '@RateLimit() with a sub-second window',
      () => RateLimit({ limit: 1, window: 500 }),
      /window must be whole seconds/,
    ],
    ['@RequestTimeout() negative', () => RequestTimeout(-1), /whole milliseconds ≥ 0/],
    ['@RequestTimeout() fractional', () => RequestTimeout(1.5), /whole milliseconds ≥ 0/],
  ])('%s throws KWIK_SECURITY_INVALID_OPTIONS when the class loads', (_name, decorate, message) => {
    expect(decorate).toThrow(KwikError);
    expect(decorate).toThrow(message);
    expect(decorate).toThrow(/^\[KWIK_SECURITY_INVALID_OPTIONS\]/);
  });
});
