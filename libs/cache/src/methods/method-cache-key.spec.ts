import { describe, expect, it } from 'vitest';
import { normalizeCacheOptions } from '../decorators/normalize-cache-options.js';
import type { CacheOptions } from '../cache-options.interface.js';
import { methodCacheKey, type MethodKeyContext } from './method-cache-key.js';

const key = (options: CacheOptions, context: MethodKeyContext, args: unknown[] = ['EUR']): string =>
  methodCacheKey('Rates.rate', normalizeCacheOptions(options), args, context);

const acme: MethodKeyContext = {
  tenant: { id: 'acme' },
  principal: { id: 'u1', kind: 'user' },
  apiVersion: '2',
};

describe('methodCacheKey', () => {
  it.each<[string, CacheOptions, MethodKeyContext, string]>([
    ['no context', {}, {}, 'm:Rates.rate:["EUR"]'],
    ['the tenant, always', {}, acme, 'm:Rates.rate:["EUR"]|t=acme'],
    ['the tenant even when shared', { shared: true }, acme, 'm:Rates.rate:["EUR"]|t=acme'],
    [
      'the tenant when shared but asked for',
      { shared: true, vary: ['tenant'] },
      acme,
      'm:Rates.rate:["EUR"]|t=acme',
    ],
    ['the user', { vary: ['user'] }, acme, 'm:Rates.rate:["EUR"]|t=acme|u=user:u1'],
    ['anon without a principal', { vary: ['user'] }, {}, 'm:Rates.rate:["EUR"]|u=anon'],
    [
      'the principal kind',
      { vary: ['user'] },
      { principal: { id: 'k1', kind: 'api-key' } },
      'm:Rates.rate:["EUR"]|u=api-key:k1',
    ],
    [
      'the kind "user" by default',
      { vary: ['user'] },
      { principal: { id: 'u1' } },
      'm:Rates.rate:["EUR"]|u=user:u1',
    ],
    ['the API version', { vary: ['version'] }, acme, 'm:Rates.rate:["EUR"]|t=acme|v=2'],
    ['"-" without a version', { vary: ['version'] }, {}, 'm:Rates.rate:["EUR"]|v=-'],
    ['no header varies (routes only)', { vary: ['header:accept-language'] }, {}, 'm:Rates.rate:["EUR"]'],
    ['the key option instead of Class.method', { key: 'fx' }, {}, 'm:fx:["EUR"]'],
  ])('contains %s', (_, options, context, expected) => {
    expect(key(options, context)).toBe(expected);
  });

  it('encodes context values, so an id cannot forge another key', () => {
    const forged = key({ vary: ['user'] }, { tenant: { id: 'a|u=user:admin' } });
    expect(forged).toBe('m:Rates.rate:["EUR"]|t=a%7Cu%3Duser%3Aadmin|u=anon');
    expect(forged).not.toBe(key({ vary: ['user'] }, { tenant: { id: 'a' }, principal: { id: 'admin' } }));
  });

  it('differs per tenant, per user and per arguments', () => {
    const keys = new Set([
      key({ vary: ['user'] }, acme),
      key({ vary: ['user'] }, { ...acme, tenant: { id: 'globex' } }),
      key({ vary: ['user'] }, { ...acme, principal: { id: 'u2' } }),
      key({ vary: ['user'] }, acme, ['USD']),
    ]);
    expect(keys.size).toBe(4);
  });
});
