import type { FastifyRequest } from 'fastify';
import { TENANT_SLUG } from '../../tenancy-config.js';
import { tenantInvalid } from '../../tenant.problems.js';
import { TenantResolver, type TenantHint } from '../tenant-resolver.js';

/** The tenant named by slug in a header (`X-Tenant-ID: acme`). */
export class HeaderTenantResolver extends TenantResolver {
  readonly name = 'header';

  constructor(private readonly header: string) {
    super();
  }

  resolve(request: FastifyRequest): TenantHint | undefined {
    const raw = request.headers[this.header];
    if (raw === undefined) return undefined;
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase() ?? '';
    if (!TENANT_SLUG.test(value))
      throw tenantInvalid(
        `The ${this.header} header must be an organization slug (lower-case letters, digits and hyphens, at most 63), got "${String(raw).slice(0, 80)}".`,
      );
    return { slug: value, source: this.name };
  }
}
