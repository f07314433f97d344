import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException, RequestContext } from '@kwik/core';
import { TENANCY_CONFIG, TENANT_FAILURE_KEY } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import { tenantMismatch, tenantNotFound, tenantSuspended } from '../tenant.problems.js';
import { HeaderTenantResolver } from './drivers/header-tenant.resolver.js';
import { SubdomainTenantResolver } from './drivers/subdomain-tenant.resolver.js';
import { TokenTenantResolver } from './drivers/token-tenant.resolver.js';
import { TenantDirectory } from './tenant-directory.js';
import type { TenantRecord } from './tenant-record.js';
import { TenantResolver, type TenantHint } from './tenant-resolver.js';

type Done = (error?: Error) => void;

/**
 * Resolves every request's tenant in a Fastify `preValidation` hook — after authentication (so a
 * token's tenant is known) and before any Nest guard (so the rate limiter, the cache and the logs
 * see the tenant whatever the order of guards). A resolved, active tenant that matches the
 * caller's credentials goes into the request context; an unknown, suspended or mismatched one is
 * noted there and answered by the `TenantGuard` (404 / 403). Costs no I/O once the tenant is cached.
 */
@Injectable()
export class TenantResolution implements OnModuleInit {
  private readonly resolvers: readonly TenantResolver[];

  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly context: RequestContext,
    private readonly directory: TenantDirectory,
  ) {
    this.resolvers = config.resolvers.map((spec) => {
      if (spec instanceof TenantResolver) return spec;
      if (spec === 'header') return new HeaderTenantResolver(config.header);
      if (spec === 'subdomain')
        return new SubdomainTenantResolver(config.baseDomains, config.reservedSubdomains);
      return new TokenTenantResolver(config.tokenClaim);
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof fastify?.addHook !== 'function') return;
    fastify.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: Done) =>
      this.resolve(request, done),
    );
  }

  private resolve(request: FastifyRequest, done: Done): void {
    if (!this.context.active) return done();
    const principal = this.context.principal;
    let hint: TenantHint | undefined;
    try {
      for (const resolver of this.resolvers) {
        hint = resolver.resolve(request, principal);
        if (hint) break;
      }
    } catch (error) {
      if (!(error instanceof ProblemException)) return done(error as Error);
      this.context.set(TENANT_FAILURE_KEY, error);
      return done();
    }
    if (!hint) return done();
    const claim = principal?.[this.config.tokenClaim];
    const known = this.directory.peek(hint);
    if (known !== undefined) {
      this.apply(hint, known, typeof claim === 'string' ? claim : undefined);
      return done();
    }
    this.directory.find(hint).then(
      (tenant) => {
        this.apply(hint, tenant, typeof claim === 'string' ? claim : undefined);
        done();
      },
      (error: unknown) => done(error as Error),
    );
  }

  private apply(hint: TenantHint, tenant: TenantRecord | null, claim: string | undefined): void {
    let failure: ProblemException | undefined;
    if (!tenant)
      failure = tenantNotFound('slug' in hint ? `"${hint.slug}"` : `of these credentials (${hint.source})`);
    else if (claim !== undefined && claim !== tenant.id) failure = tenantMismatch(tenant.slug);
    else if (tenant.status !== 'active') failure = tenantSuspended(tenant.slug);
    if (failure) this.context.set(TENANT_FAILURE_KEY, failure);
    else this.context.setTenant(tenant!);
  }
}
