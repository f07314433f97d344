import { Injectable } from '@nestjs/common';
import { ProblemException, ProblemKind, RequestContext } from '@kwik/core';
import { isAuthPrincipal } from '@kwik/auth';

/** Who acts in a request. */
export interface Actor {
  tenantId: string;
  userId: string;
}

/**
 * The acting user and their tenant, from the principal the auth library put into the request
 * context (until the tenancy library resolves the tenant itself).
 */
@Injectable()
export class DemoActorService {
  constructor(private readonly context: RequestContext) {}

  current(): Actor {
    const principal = this.context.principal;
    if (!isAuthPrincipal(principal) || !principal.tenantId)
      throw new ProblemException({
        status: 401,
        kind: ProblemKind.Unauthorized,
        title: 'Unauthorized',
        detail: 'Sign in first: this resource belongs to an organization.',
      });
    return { tenantId: principal.tenantId, userId: principal.id };
  }
}
