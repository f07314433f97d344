import { Injectable } from '@nestjs/common';
import { ProblemException } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { Tenant, User } from '../entities/index.js';

/** Who acts in a request. */
export interface Actor {
  tenantId: string;
  userId: string;
}

/**
 * The implicit actor until the tenant and auth libraries land (DEMO.md): tenant `acme`, acting
 * as `admin@acme.test`. Those libraries replace this with the request context's tenant and principal.
 */
@Injectable()
export class DemoActorService {
  private actor: Actor | undefined;

  // Repositories of the ambient transaction: the first call may come from inside a CRUD write, and
  // on embedded PGlite (one connection) a query outside that transaction would fail.
  constructor(private readonly transactions: TransactionManager) {}

  /** The actor once resolved (after the first request), without a promise. */
  get cached(): Actor | undefined {
    return this.actor;
  }

  async current(): Promise<Actor> {
    if (this.actor) return this.actor;
    const tenant = await this.transactions.getRepository(Tenant).findOneBy({ slug: 'acme' });
    const user = tenant
      ? await this.transactions
          .getRepository(User)
          .findOneBy({ tenantId: tenant.id, email: 'admin@acme.test' })
      : null;
    if (!tenant || !user) {
      throw new ProblemException({
        status: 503,
        kind: 'demo-not-seeded',
        title: 'Service Unavailable',
        detail:
          'The demo tenant "acme" does not exist yet: start the demo with KWIK_SEED=true (the default) to seed it.',
      });
    }
    this.actor = { tenantId: tenant.id, userId: user.id };
    return this.actor;
  }
}
