import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KwikError } from '../errors/kwik.error.js';
import { AsyncSlot } from './async-slot.js';
import type { ContextLogFields } from './context.keys.js';
import { ContextStore } from './context-store.js';
import type { KwikPrincipal, KwikTenantRef, RequestContextSnapshot } from './context.types.js';

/**
 * The one framework-owned request context, on Node's AsyncLocalStorage (an {@link AsyncSlot}).
 *
 * Every Kwik library reads and writes request-scoped facts here: core writes the request id
 * and ip, auth the principal, tenancy the tenant, versioning the API version. Guards and
 * interceptors may enrich it at any point of the request; everything logged afterwards sees it.
 * Core enters it in Fastify's first `onRequest` hook, so Nest middleware, guards, interceptors,
 * pipes, handlers and filters all run inside it, without a global guard or interceptor.
 *
 * @example
 * constructor(private readonly ctx: RequestContext) {}
 * whoAmI() { return this.ctx.principal?.id; }
 * // outside HTTP (a job): restore what a request captured
 * await ctx.run(job.context, () => handler(job));
 */
@Injectable()
export class RequestContext {
  private readonly storage = new AsyncSlot<ContextStore>('request context');

  /** True while code runs inside a context (a request, or `run()`). */
  get active(): boolean {
    return this.storage.get() !== undefined;
  }

  get requestId(): string | undefined {
    return this.storage.get()?.requestId;
  }

  get ip(): string | undefined {
    return this.storage.get()?.ip;
  }

  get principal(): KwikPrincipal | undefined {
    return this.storage.get()?.principal;
  }

  get tenant(): KwikTenantRef | undefined {
    return this.storage.get()?.tenant;
  }

  get apiVersion(): string | undefined {
    return this.storage.get()?.apiVersion;
  }

  /** The background job this context runs (inside a `@Task()` handler), else undefined. */
  get jobId(): string | undefined {
    return this.storage.get()?.jobId;
  }

  setPrincipal(principal: KwikPrincipal | undefined): void {
    this.current('setPrincipal').principal = principal;
  }

  setTenant(tenant: KwikTenantRef | undefined): void {
    this.current('setTenant').tenant = tenant;
  }

  setApiVersion(version: string | undefined): void {
    this.current('setApiVersion').apiVersion = version;
  }

  /** Reads a library's own value (use a `kwik:<lib>:<key>` key). */
  get<T>(key: string): T | undefined {
    return this.storage.get()?.extras.get(key) as T | undefined;
  }

  /** Stores a library's own value (use a `kwik:<lib>:<key>` key). */
  set(key: string, value: unknown): void {
    this.current(`set('${key}')`).extras.set(key, value);
  }

  /** `requestId`, `userId`, `tenantId`, `ip`, `apiVersion`, `jobId` as they stand now (what every log line carries). */
  logFields(): ContextLogFields {
    return this.storage.get()?.logFields() ?? {};
  }

  /** A plain copy of the current context, to restore later with {@link run}. */
  capture(): RequestContextSnapshot {
    const store = this.storage.get();
    if (!store) return {};
    return {
      requestId: store.requestId,
      ip: store.ip,
      principal: store.principal,
      tenant: store.tenant,
      apiVersion: store.apiVersion,
      ...(store.jobId !== undefined ? { jobId: store.jobId } : {}),
      ...(store.extras.size > 0 ? { extras: Object.fromEntries(store.extras) } : {}),
    };
  }

  /**
   * Runs `fn` in a fresh context filled from `snapshot` (a new request id when it has none).
   * Used for work outside HTTP: jobs, cron, SSE pushes, WebSocket messages, scripts.
   */
  run<T>(snapshot: RequestContextSnapshot, fn: () => T): T {
    const store = new ContextStore(snapshot.requestId ?? randomUUID(), snapshot.ip);
    store.principal = snapshot.principal;
    store.tenant = snapshot.tenant;
    store.apiVersion = snapshot.apiVersion;
    store.jobId = snapshot.jobId;
    for (const [key, value] of Object.entries(snapshot.extras ?? {})) store.extras.set(key, value);
    return this.storage.run(store, fn);
  }

  /** Runs `fn` inside `store` (core's request hook uses it to enter a request's context). */
  runWithStore<T>(store: ContextStore, fn: () => T): T {
    return this.storage.run(store, fn);
  }

  private current(operation: string): ContextStore {
    const store = this.storage.get();
    if (!store) {
      throw new KwikError(
        'KWIK_CONTEXT_INACTIVE',
        `RequestContext.${operation} was called outside a request context. Wrap work outside HTTP in RequestContext.run(snapshot, fn).`,
      );
    }
    return store;
  }
}
