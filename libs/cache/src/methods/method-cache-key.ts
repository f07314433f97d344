import type { KwikPrincipal, KwikTenantRef } from '@kwik/core';
import type { NormalizedCacheOptions } from '../decorators/normalize-cache-options.js';
import { stableArgs } from './stable-args.js';

/**
 * What a method's key reads from the request context (a `RequestContext` fits as is).
 *
 * @example
 * const context: MethodKeyContext = { tenant: { id: 'acme' }, principal: { id: 'u1', kind: 'user' } };
 */
export interface MethodKeyContext {
  readonly tenant?: KwikTenantRef;
  readonly principal?: KwikPrincipal;
  readonly apiVersion?: string;
}

/**
 * The parts of a `@Cache()` declaration its method keys depend on (a `NormalizedCacheOptions` fits).
 *
 * @example
 * const options: MethodKeyOptions = { key: undefined, shared: false, varyUser: true, varyTenant: false, varyVersion: false };
 */
export interface MethodKeyOptions extends Pick<
  NormalizedCacheOptions,
  'key' | 'shared' | 'varyUser' | 'varyTenant' | 'varyVersion'
> {}

/**
 * The store key of one call of a `@Cache()` provider method:
 * `m:<key option or Class.method>:<stable arguments>`, then
 * - `|t=<tenant id>` whenever the context has a tenant, `shared` or not: under row-level security
 *   the same call returns different data per tenant, so entries are never shared across tenants;
 * - `|u=<kind>:<id>` (or `|u=anon`) with `vary: ['user']`;
 * - `|v=<api version>` (or `|v=-`) with `vary: ['version']`.
 *
 * Header varies apply to routes only and are ignored here. Context values are URI-encoded, so no
 * tenant or user id can forge another one's key.
 *
 * @example
 * methodCacheKey('RatesService.rate', options, ['EUR', 'USD'], requestContext)
 * // 'm:RatesService.rate:["EUR","USD"]|t=acme'
 */
export function methodCacheKey(
  name: string,
  options: MethodKeyOptions,
  args: readonly unknown[],
  context: MethodKeyContext,
): string {
  let key = `m:${options.key ?? name}:${stableArgs(args, name)}`;
  const tenant = context.tenant?.id;
  if (tenant !== undefined) key += `|t=${encodeURIComponent(tenant)}`;
  if (options.varyUser) {
    const principal = context.principal;
    key += principal
      ? `|u=${encodeURIComponent(principal.kind ?? 'user')}:${encodeURIComponent(principal.id)}`
      : '|u=anon';
  }
  if (options.varyVersion)
    key += `|v=${context.apiVersion === undefined ? '-' : encodeURIComponent(context.apiVersion)}`;
  return key;
}
