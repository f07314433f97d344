import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ProblemException } from '@kwik/core';
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

  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async current(): Promise<Actor> {
    if (this.actor) return this.actor;
    const tenant = await this.tenants.findOneBy({ slug: 'acme' });
    const user = tenant
      ? await this.users.findOneBy({ tenantId: tenant.id, email: 'admin@acme.test' })
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
