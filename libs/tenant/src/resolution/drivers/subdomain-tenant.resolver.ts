import type { FastifyRequest } from 'fastify';
import { TENANT_SLUG } from '../../tenancy-config.js';
import { TenantResolver, type TenantHint } from '../tenant-resolver.js';

/** The tenant named by the first label of the host under one of the base domains (`acme.localhost`). */
export class SubdomainTenantResolver extends TenantResolver {
  readonly name = 'subdomain';
  /** Base domains, longest first: `globex.eu.example.com` is globex under `eu.example.com`. */
  private readonly bases: readonly string[];
  private readonly reserved: ReadonlySet<string>;

  constructor(baseDomains: readonly string[], reserved: readonly string[]) {
    super();
    this.bases = [...baseDomains].sort((a, b) => b.length - a.length);
    this.reserved = new Set(reserved);
  }

  resolve(request: FastifyRequest): TenantHint | undefined {
    const host = request.headers.host;
    if (!host) return undefined;
    const name = hostName(host);
    // A base domain itself names no tenant (`eu.example.com` when it is one).
    if (this.bases.includes(name)) return undefined;
    for (const base of this.bases) {
      if (!name.endsWith(`.${base}`)) continue;
      const label = name.slice(0, -(base.length + 1));
      // Only a single label names a tenant; deeper names may still sit under a shorter base.
      if (label.includes('.')) continue;
      if (this.reserved.has(label) || !TENANT_SLUG.test(label)) return undefined;
      return { slug: label, source: this.name };
    }
    return undefined;
  }
}

/** The host without port, lower-case (`[::1]:3000` → `[::1]`). */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}
