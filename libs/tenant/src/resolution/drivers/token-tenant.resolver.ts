import type { KwikPrincipal } from '@kwik/core';
import { TenantResolver, type TenantHint } from '../tenant-resolver.js';

/** The tenant of the authenticated principal (a token's tenant claim, an API key's user's tenant). */
export class TokenTenantResolver extends TenantResolver {
  readonly name = 'token';

  constructor(private readonly claim: string) {
    super();
  }

  resolve(_request: unknown, principal: KwikPrincipal | undefined): TenantHint | undefined {
    const id = principal?.[this.claim];
    return typeof id === 'string' && id.length > 0 ? { id, source: this.name } : undefined;
  }
}
