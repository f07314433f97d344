import { Injectable } from '@nestjs/common';
import { ProblemException, ProblemKind, RequestContext } from '@kwik/core';
import { isAuthPrincipal } from '@kwik/auth';
import { TenantContext } from '@kwik/tenant';

/** Who acts in a request. */
export interface Actor {
  tenantId: string;
  userId: string;
}

/**
 * The acting user (the principal auth put into the request context) and the tenant the tenancy
 * library resolved for the request — the token's tenant always matches it, or the request got 403.
 */
@Injectable()
export class DemoActorService {
  constructor(
    private readonly context: RequestContext,
    private readonly tenants: TenantContext,
  ) {}

  current(): Actor {
    const principal = this.context.principal;
    if (!isAuthPrincipal(principal))
      throw new ProblemException({
        status: 401,
        kind: ProblemKind.Unauthorized,
        title: 'Unauthorized',
        detail: 'Sign in first: this resource belongs to an organization.',
      });
    return { tenantId: this.tenants.require().id, userId: principal.id };
  }
}
