import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext } from '@kwik/core';
import { AUTH_FAILURE_KEY } from '../auth.constants.js';
import { ApiKeyService } from '../api-keys/api-key.service.js';
import { RevocationStore } from '../revocation/revocation.store.js';
import { TokenRejected, type AccessClaims } from '../tokens/access-token.service.js';
import { TokenService } from '../tokens/token.service.js';
import type { AuthPrincipal } from './auth-principal.js';
import type { PermissionSet } from '../rbac/permission-set.js';
import { RoleRegistry } from './role-registry.service.js';

type Done = (error?: Error) => void;

/**
 * Authentication, for every request, in a Fastify `onRequest` hook that runs inside the request
 * context (after core's): an access token or API key, when one is sent, becomes the context's
 * principal before any Nest guard runs — so the rate limiter, the cache and the logs see the
 * caller whatever the order of guards. Refused credentials are noted in the context; the
 * global `AuthGuard` answers 401 for them unless the route is `@Public()`.
 * An access token costs no I/O: verified signatures are remembered and revocation is an
 * in-process lookup kept current by the revocation store.
 */
@Injectable()
export class Authenticator implements OnModuleInit {
  /**
   * The principal of each remembered token's claims: built once, shared (frozen) by its requests,
   * rebuilt when the role registry reloads (its permission set is then another object).
   */
  private readonly principals = new WeakMap<AccessClaims, AuthPrincipal>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly context: RequestContext,
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeyService,
    private readonly roles: RoleRegistry,
    private readonly revocations: RevocationStore,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof fastify?.addHook !== 'function') return;
    fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: Done) =>
      this.authenticate(request, done),
    );
  }

  private authenticate(request: FastifyRequest, done: Done): void {
    const authorization = request.headers.authorization;
    const apiKeyHeader = request.headers['x-api-key'];
    if (authorization === undefined && apiKeyHeader === undefined) return done();
    let credential: string;
    if (authorization !== undefined) {
      if (authorization.length < 8 || authorization.slice(0, 7).toLowerCase() !== 'bearer ')
        return this.refuse('the Authorization header must be "Bearer <token>"', done);
      credential = authorization.slice(7).trim();
    } else {
      credential = Array.isArray(apiKeyHeader) ? (apiKeyHeader[0] ?? '') : apiKeyHeader!;
      if (!credential.startsWith('kwik_'))
        return this.refuse('the X-API-Key header must carry an API key', done);
    }
    if (credential.startsWith('kwik_')) {
      this.apiKeys.authenticate(credential).then(
        (principal) => {
          this.context.setPrincipal(principal);
          done();
        },
        (error: unknown) =>
          this.refuse(
            error instanceof TokenRejected ? `the API key was refused: ${error.message}` : String(error),
            done,
          ),
      );
      return;
    }
    try {
      const claims = this.tokens.access.verify(credential);
      if (this.revocations.isRevoked(claims.sid)) throw new TokenRejected('its session was revoked');
      this.context.setPrincipal(this.principalOf(claims));
    } catch (error) {
      if (!(error instanceof TokenRejected)) return done(error as Error);
      return this.refuse(`the access token was refused: ${error.message}`, done);
    }
    done();
  }

  private principalOf(claims: AccessClaims): AuthPrincipal {
    const roles = this.roles.permissionsOf(claims.roles);
    let principal = this.principals.get(claims);
    if (principal === undefined || principal.access.roles !== roles) {
      principal = Object.freeze(this.buildPrincipal(claims, roles));
      this.principals.set(claims, principal);
    }
    return principal;
  }

  private buildPrincipal(claims: AccessClaims, roles: PermissionSet): AuthPrincipal {
    return {
      id: claims.sub,
      kind: 'user',
      roles: claims.roles,
      permissions: roles.permissions,
      ...(claims.tid === undefined ? {} : { tenantId: claims.tid }),
      sessionId: claims.sid,
      access: { roles },
    };
  }

  private refuse(reason: string, done: Done): void {
    this.context.set(AUTH_FAILURE_KEY, reason);
    done();
  }
}
