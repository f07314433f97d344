import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext } from '@kwik/core';
import { X_CACHE_HEADER } from '../cache.constants.js';
import { CacheError, CacheErrorCode } from '../cache.errors.js';
import { tagsOf } from '../decorators/normalize-cache-options.js';
import { CacheService, type CachePolicy } from '../engine/cache.service.js';
import type { TagVersions } from '../store/cache-entry.js';
import { bodyEtag, etagMatches, storableStatus, storedHeaders, type HttpRecord } from './http-record.js';
import { RoutePlans, type RoutePlan } from './route-plans.js';

type Done = (error?: Error) => void;
type SendDone = (error: Error | null, payload?: unknown) => void;

/** What the cache decided for one request of a cached route. */
interface RequestState {
  readonly plan: RoutePlan;
  readonly key: string;
  readonly tags: readonly string[];
  readonly versions: TagVersions;
  /** The `X-Cache` answer. */
  readonly outcome: 'MISS' | 'BYPASS';
  /** Headers present before the handler ran (set again by the hooks on every hit). */
  before?: Record<string, unknown>;
  /** Concurrent requests of the same key in this process wait on it (the leader settles it). */
  flight?: Flight;
  lockToken?: string | null;
  settled?: boolean;
}

interface Flight {
  readonly promise: Promise<HttpRecord | undefined>;
  resolve(record: HttpRecord | undefined): void;
  /** Sequence number of the settlement: lookups started before it may use the result. */
  settled?: number;
}

function flight(): Flight {
  let resolve!: (record: HttpRecord | undefined) => void;
  const promise = new Promise<HttpRecord | undefined>((r) => (resolve = r));
  return { promise, resolve };
}

/** How long a settled flight answers the lookups that started before it settled. */
const FLIGHT_LINGER_MS = 1000;
const NO_VERSIONS: TagVersions = Object.freeze({});
const NO_TAGS: readonly string[] = Object.freeze([]);

const REFRESH_HEADER = 'x-kwik-cache-refresh';

/**
 * HTTP caching of `@Cache()` routes, in Fastify hooks around Nest's pipeline:
 * - `preHandler` (a route hook of the cached routes only): computes the key (URL, `Accept`, tenant, and the declared varies), looks it up
 *   and, on a hit, runs the route's guards and replays the stored status, headers and body bytes
 *   (`X-Cache: HIT`, `ETag`, `If-None-Match` → 304) without entering Nest's pipeline. Concurrent
 *   misses of one key wait for the first (single-flight, across instances with the store's lock).
 * - `onSend` (a route hook, after the app-wide ones): stores successful GET responses that carry no
 *   `Set-Cookie`, as the bytes about to be written.
 * - a stale entry is served (`X-Cache: STALE`) while one background request refreshes it.
 */
@Injectable()
export class HttpCache implements OnModuleInit {
  private readonly logger = new Logger('KwikCache');
  private routeCount: number | undefined;
  private readonly states = new WeakMap<FastifyRequest, RequestState>();
  private readonly flights = new Map<string, Flight>();
  private readonly refreshing = new Set<string>();
  private readonly warned = new Set<RoutePlan>();
  private readonly refreshSecret = randomUUID();
  private sequence = 0;
  private fastify: FastifyInstance | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly context: RequestContext,
    private readonly cache: CacheService,
    private readonly plans: RoutePlans,
  ) {
    // When the HTTP adapter is there: at once under NestFactory.create(); under a testing module
    // (@kwik/testing), when `createNestApplication()` sets it — both before Nest registers routes.
    adapterHost.init$.subscribe(() => this.attach());
  }

  private attach(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof fastify?.addHook !== 'function' || this.fastify) return;
    this.fastify = fastify;
    // Nest registers its routes after the providers exist. The cache's hooks go on the cached
    // routes only, found by the name Nest gives each route handler (`Controller.method`; the
    // method's metadata is not on every handler: Nest 12 leaves it off the parametric routes it
    // registers late), so other routes pay nothing; route hooks run after the app-wide ones
    // (a CSV stream swapped in by @kwik/data's onSend) and before those a plugin adds per route
    // later (@fastify/compress registered through createKwikApp's `plugins`).
    fastify.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      if (!methods.includes('GET') && !methods.includes('HEAD')) return;
      if (typeof route.handler !== 'function') return;
      const plan = this.planFor(route.handler.name, route.url);
      if (!plan) return;
      route.preHandler = withHook(
        route.preHandler,
        (request: FastifyRequest, reply: FastifyReply, done: Done) =>
          this.preHandler(plan, request, reply, done),
      );
      route.onSend = withHook(
        route.onSend,
        (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: SendDone) => {
          const state = this.states.get(request);
          if (state === undefined) return done(null, payload);
          this.markResponse(state, reply);
          if (state.outcome !== 'MISS') {
            this.settle(state, undefined); // nothing to store: no promise either
            return done(null, payload);
          }
          this.capture(state, request, reply, payload).then(
            () => done(null, payload),
            (error: unknown) => done(error as Error),
          );
        },
      );
      route.onResponse = withHook(
        route.onResponse,
        (request: FastifyRequest, _reply: FastifyReply, done: Done) => {
          const state = this.states.get(request);
          if (state) this.settle(state, undefined);
          done();
        },
      );
    });
  }

  onModuleInit(): void {
    const routes = this.discovered();
    if (this.fastify === undefined && routes > 0 && this.adapterHost.httpAdapter)
      throw new CacheError(
        CacheErrorCode.FastifyRequired,
        '@Cache() on routes needs the Fastify adapter (createKwikApp() uses it).',
      );
  }

  private preHandler(plan: RoutePlan, request: FastifyRequest, reply: FastifyReply, done: Done): void {
    if (!this.cache.options.enabled) {
      // `enabled: false`: answered by the handler, decided without a key, a lookup or a promise
      // (a bypass is never stored, so it needs neither key nor tags).
      if (!this.cacheableCaller(plan)) return done();
      this.cache.stats.record(plan.name, 'bypass');
      this.states.set(request, this.stateFor(plan, '', NO_TAGS, NO_VERSIONS, 'BYPASS'));
      return done();
    }
    const key = this.keyOf(plan, request);
    if (key === undefined) return done();
    let tags: readonly string[];
    try {
      tags = tagsOf(plan.options.tags, [request]);
    } catch (error) {
      return done(error as Error);
    }
    this.lookupAndServe(plan, key, tags, request, reply).then(
      (served) => (served ? undefined : done()),
      (error: unknown) => done(error as Error),
    );
  }

  /**
   * The plan of the route whose handler Nest named `name` (`Controller.method`), or `undefined`.
   * Routes are registered when every controller exists, so the plans are discovered (and checked:
   * an unsafe declaration fails the boot) at the first route.
   */
  private planFor(name: string, url: string): RoutePlan | undefined {
    this.discovered();
    const plan = this.plans.byName(name);
    if (plan) plan.name = `GET ${url}`;
    return plan;
  }

  /** Discovers the cached routes once; how many there are. */
  private discovered(): number {
    this.routeCount ??= this.plans.discover();
    return this.routeCount;
  }

  /** True when the response was sent from the cache (or a guard's problem was). */
  private async lookupAndServe(
    plan: RoutePlan,
    key: string,
    tags: readonly string[],
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    const refresh = request.headers[REFRESH_HEADER] === this.refreshSecret;
    const startedAt = ++this.sequence;
    const found = await this.cache.lookup(key, tags);
    const stats = this.cache.stats;
    if (!refresh && (found.state === 'hit' || found.state === 'stale')) {
      stats.record(plan.name, found.state);
      if (found.state === 'stale') this.refreshInBackground(key, request);
      return this.serve(
        plan,
        found.entry!.value as HttpRecord,
        found.state === 'hit' ? 'HIT' : 'STALE',
        request,
        reply,
      );
    }
    stats.record(plan.name, found.state === 'bypass' ? 'bypass' : 'miss');
    if (found.state === 'bypass' || request.method !== 'GET') {
      this.begin(
        request,
        reply,
        this.stateFor(plan, key, tags, found.versions, found.state === 'bypass' ? 'BYPASS' : 'MISS'),
      );
      return false;
    }
    // A flight settled after this lookup began answers it too (its result was stored meanwhile).
    const running = refresh ? undefined : this.flights.get(key);
    if (running && (running.settled === undefined || startedAt < running.settled)) {
      const record = await running.promise;
      if (record) return this.serve(plan, record, 'HIT', request, reply);
      this.begin(request, reply, this.stateFor(plan, key, tags, found.versions, 'MISS'));
      return false;
    }
    const state = this.stateFor(plan, key, tags, found.versions, 'MISS');
    state.flight = flight();
    this.flights.set(key, state.flight);
    this.begin(request, reply, state);
    state.lockToken = await this.cache.lock(key);
    if (state.lockToken === undefined) {
      // Another instance computes this key: wait for its entry rather than computing it twice.
      const peer = await this.cache.awaitPeer(key, tags);
      if (peer) {
        const record = peer.value as HttpRecord;
        this.settle(state, record);
        this.states.delete(request);
        return this.serve(plan, record, 'HIT', request, reply);
      }
    }
    return false;
  }

  private begin(request: FastifyRequest, reply: FastifyReply, state: RequestState): void {
    state.before = { ...reply.getHeaders() };
    this.states.set(request, state);
  }

  private stateFor(
    plan: RoutePlan,
    key: string,
    tags: readonly string[],
    versions: TagVersions,
    outcome: 'MISS' | 'BYPASS',
  ): RequestState {
    return { plan, key, tags, versions, outcome };
  }

  /** Runs the route's guards, then replays `record` (or a 304). */
  private async serve(
    plan: RoutePlan,
    record: HttpRecord,
    outcome: 'HIT' | 'STALE',
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    const passed = await this.plans.guardsOf(plan)(request, reply);
    if (!passed) return reply.sent;
    // Headers the hooks and guards set for this request (rate limits, CORS...) win over stored ones.
    for (const [name, value] of record.headers) if (!reply.hasHeader(name)) reply.header(name, value);
    reply.header('etag', record.etag).header(X_CACHE_HEADER, outcome);
    if (plan.options.cacheControl) reply.header('cache-control', plan.options.cacheControl);
    if (etagMatches(request.headers['if-none-match'], record.etag)) {
      reply.removeHeader('content-type');
      reply.code(304).send();
      return true;
    }
    reply.code(record.status).send(record.body);
    return true;
  }

  /** `X-Cache`, and the route's `Cache-Control` and `Vary`, on a response the handler answered. */
  private markResponse(state: RequestState, reply: FastifyReply): void {
    const options = state.plan.options;
    reply.header(X_CACHE_HEADER, state.outcome);
    if (options.cacheControl && reply.statusCode < 400) reply.header('cache-control', options.cacheControl);
    if (options.varyHeaders.length)
      reply.header('vary', mergeVary(reply.getHeader('vary'), options.varyHeaders));
  }

  /** Stores a missed response when it may be stored (2xx GET, no Set-Cookie, not a stream). */
  private async capture(
    state: RequestState,
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ): Promise<void> {
    const body =
      typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : undefined;
    const storable =
      request.method === 'GET' &&
      storableStatus(reply.statusCode) &&
      reply.getHeader('set-cookie') === undefined &&
      (body !== undefined || payload === null || payload === undefined);
    if (!storable) return this.settle(state, undefined);
    const bytes = body ?? '';
    const existing = reply.getHeader('etag');
    const etag = typeof existing === 'string' ? existing : bodyEtag(bytes);
    if (existing === undefined) reply.header('etag', etag);
    const record: HttpRecord = {
      status: reply.statusCode,
      headers: storedHeaders(reply.getHeaders(), state.before ?? {}).filter(([name]) => name !== 'etag'),
      body: bytes,
      etag,
    };
    await this.cache.save(state.key, record, this.policyOf(state.plan), state.versions);
    this.settle(state, record);
  }

  private settle(state: RequestState, record: HttpRecord | undefined): void {
    if (state.settled) return;
    state.settled = true;
    const settled = state.flight;
    if (settled) {
      settled.settled = ++this.sequence;
      settled.resolve(record);
      setTimeout(() => {
        if (this.flights.get(state.key) === settled) this.flights.delete(state.key);
      }, FLIGHT_LINGER_MS).unref();
    }
    if (state.lockToken) void this.cache.unlock(state.key, state.lockToken);
  }

  private policyOf(plan: RoutePlan): CachePolicy {
    return { ttlMs: plan.options.ttlMs ?? this.cache.options.defaultTtlMs, swrMs: plan.options.swrMs };
  }

  /**
   * A caller with credentials is only cached where the key says whose response it is: the user,
   * the tenant (when there is one), or `shared`. False (warned once per route) otherwise.
   */
  private cacheableCaller(plan: RoutePlan): boolean {
    const options = plan.options;
    if (this.context.principal === undefined) return true;
    if (options.shared || options.varyUser || (options.varyTenant && this.context.tenant !== undefined))
      return true;
    this.warnOnce(
      plan,
      options.varyTenant
        ? `${plan.name} varies on the tenant, but this request with credentials has none: it is not cached.`
        : `${plan.name} was called with credentials but its @Cache() varies on neither user nor tenant and is not shared: such requests are not cached.`,
    );
    return false;
  }

  /**
   * The key of this request, or `undefined` when it must not be cached: a caller with a principal
   * on a route that varies on neither user nor tenant and is not `shared`.
   */
  private keyOf(plan: RoutePlan, request: FastifyRequest): string | undefined {
    if (!this.cacheableCaller(plan)) return undefined;
    const options = plan.options;
    const principal = this.context.principal;
    const tenant = this.context.tenant;
    let key = `r:${plan.keyName}|${request.url}|${encodeURIComponent(request.headers.accept ?? '')}`;
    // The tenant is part of every key, even of shared routes: one tenant's data never reaches another.
    if (tenant) key += `|t:${tenant.id}`;
    if (options.varyUser) key += principal ? `|u:${principal.kind ?? 'user'}:${principal.id}` : '|u:-';
    if (options.varyVersion) key += `|v:${this.context.apiVersion ?? ''}`;
    for (const name of options.varyHeaders) {
      const value = request.headers[name];
      key += `|h:${name}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : (value ?? ''))}`;
    }
    return key;
  }

  private warnOnce(plan: RoutePlan, message: string): void {
    if (this.warned.has(plan)) return;
    this.warned.add(plan);
    this.logger.warn(message);
  }

  /** One background request per key, as the original caller, that bypasses the lookup and stores. */
  private refreshInBackground(key: string, request: FastifyRequest): void {
    if (this.refreshing.has(key) || !this.fastify) return;
    this.refreshing.add(key);
    const headers: Record<string, string | string[] | undefined> = { ...request.headers };
    delete headers['content-length'];
    delete headers['if-none-match'];
    headers[REFRESH_HEADER] = this.refreshSecret;
    this.fastify
      .inject({ method: 'GET', url: request.url, headers, remoteAddress: request.ip })
      .then(
        (response) => {
          if (response.statusCode >= 400)
            this.logger.warn(
              `Background refresh of ${request.url} answered ${response.statusCode}; the stale entry stays until it expires.`,
            );
        },
        (error: unknown) => this.logger.warn(`Background refresh of ${request.url} failed: ${String(error)}`),
      )
      .finally(() => this.refreshing.delete(key));
  }
}

/** A route's hook option with `hook` appended (Fastify takes one function or an array). */
function withHook<T extends Function>(existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  return Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

function mergeVary(existing: unknown, names: readonly string[]): string {
  const current =
    typeof existing === 'string'
      ? existing
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const lower = new Set(current.map((s) => s.toLowerCase()));
  for (const name of names) if (!lower.has(name)) current.push(name);
  return current.join(', ');
}
