import type { FastifyRequest } from 'fastify';
import type { KwikPrincipal } from '@kwik/core';

/** What a resolver found in a request: a tenant named by slug or by id, and by which resolver. */
export type TenantHint =
  { readonly slug: string; readonly source: string } | { readonly id: string; readonly source: string };

/**
 * Finds the tenant a request names. Built in: `header` (`X-Tenant-ID: acme`), `subdomain`
 * (`acme.localhost`) and `token` (the tenant claim of the authenticated principal). Subclass it for
 * your own (a path prefix, a custom header) and list the instance in `resolvers`.
 *
 * @example
 * class PathTenantResolver extends TenantResolver {
 *   readonly name = 'path';
 *   resolve(request: FastifyRequest) {
 *     const slug = /^\/t\/([a-z0-9-]+)\//.exec(request.url)?.[1];
 *     return slug ? { slug, source: this.name } : undefined;
 *   }
 * }
 */
export abstract class TenantResolver {
  /** Name used in problem details (`the path resolver`). */
  abstract readonly name: string;

  /**
   * The tenant `request` names, or undefined when it names none. Throw a `ProblemException` (400)
   * for one named in a malformed way. Runs on every request: keep it synchronous and cheap.
   */
  abstract resolve(request: FastifyRequest, principal: KwikPrincipal | undefined): TenantHint | undefined;
}
