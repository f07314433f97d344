import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException, RequestContext, RouteMemo, type KwikPrincipal } from '@kwik/core';
import type { ResolvedSecurityOptions } from '../options/resolve-security-options.js';
import {
  RATE_LIMIT_METADATA,
  SECURITY_RESOLVED_OPTIONS,
  SKIP_RATE_LIMIT_METADATA,
} from '../security.constants.js';
import type { ResolvedRateLimitPolicy } from './rate-limit-policy.js';
import { RateLimitStore, type RateLimitHit } from './rate-limit.store.js';
import { formatRateLimitHeader, retryAfterSeconds } from './ratelimit-headers.js';

/**
 * Rate limiting for every HTTP route, installed by `SecurityModule` as a global guard.
 *
 * Picks the policy of the route (`@RateLimit()` on the method, else on the controller), or the
 * `authenticated` tier when the request has a principal (`RequestContext.principal`, set by the
 * auth library in an `onRequest` hook before any guard runs), else the `anonymous` tier. Counts
 * the request under `<keyPrefix><policy>:<route>:[t:<tenant id>:]<tracker>` in the {@link RateLimitStore}, sets
 * `RateLimit-Policy` and `RateLimit`, and refuses an excess request with a 429 `rate-limited`
 * problem carrying `Retry-After`. A failing store lets requests through (or answers 503 with
 * `onStoreError: 'closed'`), logged once per incident — never a 500.
 *
 * Subclass it and pass the class as `SecurityModule.forRoot({ ... , rateLimitGuard: MyGuard })`
 * to change who is counted or how keys are built.
 *
 * @example
 * @Injectable()
 * export class PerTenantRateLimitGuard extends RateLimitGuard {
 *   // The tenant is already part of every key: one tracker for all of its callers makes one
 *   // budget per organization (requests without a tenant keep the per-caller tracker).
 *   protected override getTracker(context: ExecutionContext, policy: ResolvedRateLimitPolicy) {
 *     return this.requestContext.tenant ? 'all' : super.getTracker(context, policy);
 *   }
 * }
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  protected readonly logger = new Logger('RateLimit');
  /** True while the store is failing: the failure is logged once, when it starts. */
  private storeFailing = false;
  /** `@SkipRateLimit()` and `@RateLimit()` of each route, read once. */
  private readonly routes = new RouteMemo(({ handler, controller }) => {
    const targets = [handler, controller];
    return {
      skip: this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT_METADATA, targets) === true,
      policy: this.reflector.getAllAndOverride<ResolvedRateLimitPolicy | undefined>(
        RATE_LIMIT_METADATA,
        targets,
      ),
    };
  });
  /** `excludePaths` decisions per route pattern. */
  private readonly excludedUrls = new Map<string, boolean>();

  constructor(
    protected readonly reflector: Reflector,
    protected readonly store: RateLimitStore,
    @Inject(SECURITY_RESOLVED_OPTIONS) protected readonly options: ResolvedSecurityOptions,
    protected readonly requestContext: RequestContext,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.options.rateLimit.enabled || context.getType() !== 'http') return true;
    const route = this.routes.of(context);
    if (route.skip) return true;
    const http = context.switchToHttp();
    if (this.isExcluded(http.getRequest<FastifyRequest>())) return true;
    const routePolicy = route.policy;
    const policy = routePolicy ?? this.getTierPolicy(this.getPrincipal());
    if (!policy) return true;
    // A route's own policy counts per route; a tier is one budget per caller across all routes.
    // The request's tenant (from the tenancy library, through the context) is part of the key:
    // callers of one organization never spend another's budget, even behind one NAT address.
    const tenant = this.requestContext.tenant?.id;
    const prefix = `${this.options.rateLimit.keyPrefix}${policy.name}:${routePolicy ? this.getRoute(context) : '*'}:${tenant ? `t:${tenant}:` : ''}`;
    const tracker = this.getTracker(context, policy);
    const reply = http.getResponse<FastifyReply>();
    // A store that answers at once (the in-process one) is decided without a promise: every promise
    // on the request path also costs Node 20's async hooks for the request context.
    const now = typeof tracker === 'string' ? this.countNow(prefix + tracker, policy) : undefined;
    if (now !== undefined) return this.decide(now.hit, policy, reply);
    // Written with `then` rather than `await`, for the same reason.
    const counted =
      typeof tracker === 'string'
        ? this.count(prefix + tracker, policy)
        : tracker.then((t) => this.count(prefix + t, policy));
    return counted.then((hit) => this.decide(hit, policy, reply));
  }

  /** Sets the headers of a counted request and refuses it over the limit. */
  private decide(
    counted: RateLimitHit | undefined,
    policy: ResolvedRateLimitPolicy,
    reply: FastifyReply,
  ): boolean {
    if (!counted) return true;
    // Never announce a reset beyond the window, whatever a (custom) store computed.
    const hit = { ...counted, resetMs: Math.min(Math.max(0, counted.resetMs), policy.windowMs) };
    reply.header('ratelimit-policy', policy.policyHeader);
    reply.header('ratelimit', formatRateLimitHeader(policy.name, hit.remaining, hit.resetMs));
    if (!hit.allowed) throw this.limitExceeded(policy, hit);
    return true;
  }

  protected getPrincipal(): KwikPrincipal | undefined {
    return this.requestContext.principal;
  }

  /** The global tier for a request: `authenticated` with a principal, else `anonymous` (`null`: not limited). */
  protected getTierPolicy(principal: KwikPrincipal | undefined): ResolvedRateLimitPolicy | null {
    return principal ? this.options.rateLimit.authenticated : this.options.rateLimit.anonymous;
  }

  /**
   * Who is counted: `user:<principal id>`, `key:<apiKeyId>`, `ip:<client ip>` per the policy's
   * `by`, or what its function returns. Requests with the same tracker share the limit.
   */
  protected getTracker(context: ExecutionContext, policy: ResolvedRateLimitPolicy): string | Promise<string> {
    const { by } = policy;
    if (typeof by === 'function') {
      const custom = by(context);
      if (typeof custom === 'string' && custom.length > 0) return custom;
    }
    const principal = this.getPrincipal();
    if (by === 'user' && principal?.id) return `user:${principal.id}`;
    if (by === 'apiKey' && typeof principal?.apiKeyId === 'string') return `key:${principal.apiKeyId}`;
    return `ip:${this.getIp(context)}`;
  }

  /** The client ip (`request.ip`: honours `trustProxy` of `createKwikApp`). */
  protected getIp(context: ExecutionContext): string {
    return context.switchToHttp().getRequest<FastifyRequest>().ip;
  }

  /** The route part of the key: `<Controller>.<handler>`, the same on every instance. */
  protected getRoute(context: ExecutionContext): string {
    return `${context.getClass().name}.${context.getHandler().name}`;
  }

  /** Whether the route pattern falls under `excludePaths` (default `/health`). */
  protected isExcluded(request: FastifyRequest): boolean {
    const pattern = request.routeOptions.url;
    const url = pattern ?? request.url;
    // Route patterns are few and fixed: remember their answer (raw URLs are not remembered).
    let excluded = pattern === undefined ? undefined : this.excludedUrls.get(pattern);
    if (excluded === undefined) {
      excluded = this.options.rateLimit.excludePaths.some(
        (path) => url === path || url.startsWith(path.endsWith('/') ? path : `${path}/`),
      );
      if (pattern !== undefined) this.excludedUrls.set(pattern, excluded);
    }
    return excluded;
  }

  /** The 429 problem for a refused request. */
  protected limitExceeded(policy: ResolvedRateLimitPolicy, hit: RateLimitHit): ProblemException {
    const retryAfter = retryAfterSeconds(hit.resetMs);
    const window = policy.windowMs / 1000;
    return new ProblemException({
      status: 429,
      kind: 'rate-limited',
      title: 'Too Many Requests',
      detail: `Rate limit "${policy.name}" exceeded: at most ${policy.limit} requests per ${window} s. Retry in ${retryAfter} s.`,
      extensions: { policy: policy.name, limit: policy.limit, window, retryAfter },
      headers: { 'retry-after': String(retryAfter) },
    });
  }

  /** The store's synchronous answer ({@link RateLimitStore.hitNow}), or `undefined` when it has none. */
  private countNow(
    key: string,
    policy: ResolvedRateLimitPolicy,
  ): { hit: RateLimitHit | undefined } | undefined {
    let hit: RateLimitHit | undefined;
    try {
      hit = this.store.hitNow(key, policy.limit, policy.windowMs);
    } catch (error) {
      return { hit: this.storeFailed(error) };
    }
    return hit === undefined ? undefined : { hit: this.recovered(hit) };
  }

  /** Counts the request; on a store failure applies `onStoreError` (`undefined`: let it through). */
  private count(key: string, policy: ResolvedRateLimitPolicy): Promise<RateLimitHit | undefined> {
    let checked: Promise<RateLimitHit>;
    try {
      checked = this.store.hit(key, policy.limit, policy.windowMs);
    } catch (error) {
      checked = Promise.reject(error); // a store that throws instead of rejecting
    }
    return checked.then(
      (hit) => this.recovered(hit),
      (error: unknown) => this.storeFailed(error),
    );
  }

  /** A store's answer after a failure: logs the recovery once. */
  private recovered(hit: RateLimitHit): RateLimitHit {
    if (this.storeFailing) {
      this.storeFailing = false;
      this.logger.log('The rate-limit store answers again; limits are enforced.');
    }
    return hit;
  }

  /** `onStoreError: 'open'` lets the request through; `'closed'` refuses it with a 503 problem. */
  private storeFailed(error: unknown): undefined {
    const mode = this.options.rateLimit.onStoreError;
    if (!this.storeFailing) {
      this.storeFailing = true;
      this.logger.error(
        `The rate-limit store failed (${(error as Error).message}); ${mode === 'open' ? 'letting requests through unlimited' : 'refusing requests with 503'} until it recovers (rateLimit.onStoreError: '${mode}').`,
      );
    }
    if (mode === 'open') return undefined;
    throw new ProblemException({
      status: 503,
      kind: 'rate-limit-unavailable',
      title: 'Service Unavailable',
      detail: 'Rate limiting is temporarily unavailable, so the request was refused. Retry shortly.',
      headers: { 'retry-after': '5' },
    });
  }
}
