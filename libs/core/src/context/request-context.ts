import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ClsService, CLS_ID } from 'nestjs-cls';
import { KwikError } from '../errors/kwik.error.js';
import { CONTEXT_KEYS, logFieldsOf, type ContextLogFields } from './context.keys.js';
import type { KwikPrincipal, KwikTenantRef, RequestContextSnapshot } from './context.types.js';

const { ip: IP, principal: PRINCIPAL, tenant: TENANT, apiVersion: API_VERSION } = CONTEXT_KEYS;
const CORE_KEYS = new Set<string | symbol>(Object.values(CONTEXT_KEYS));

/**
 * The one framework-owned request context (backed by nestjs-cls / AsyncLocalStorage).
 *
 * Every Kwik library reads and writes request-scoped facts here: core writes the request id
 * and ip, auth the principal, tenancy the tenant, versioning the API version. Guards and
 * interceptors may enrich it at any point of the request; everything logged afterwards sees it.
 *
 * @example
 * constructor(private readonly ctx: RequestContext) {}
 * whoAmI() { return this.ctx.principal?.id; }
 * // outside HTTP (a job): restore what a request captured
 * await ctx.run(job.context, () => handler(job));
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  /** True while code runs inside a context (a request, or `run()`). */
  get active(): boolean {
    return this.cls.isActive();
  }

  get requestId(): string | undefined {
    return this.active ? (this.cls.getId() ?? undefined) : undefined;
  }

  get ip(): string | undefined {
    return this.read<string>(IP);
  }

  get principal(): KwikPrincipal | undefined {
    return this.read<KwikPrincipal>(PRINCIPAL);
  }

  get tenant(): KwikTenantRef | undefined {
    return this.read<KwikTenantRef>(TENANT);
  }

  get apiVersion(): string | undefined {
    return this.read<string>(API_VERSION);
  }

  setIp(ip: string | undefined): void {
    this.write(IP, ip);
  }

  setPrincipal(principal: KwikPrincipal | undefined): void {
    this.write(PRINCIPAL, principal);
  }

  setTenant(tenant: KwikTenantRef | undefined): void {
    this.write(TENANT, tenant);
  }

  setApiVersion(version: string | undefined): void {
    this.write(API_VERSION, version);
  }

  /** Reads a library's own value (use a `kwik:<lib>:<key>` key). */
  get<T>(key: string): T | undefined {
    return this.read<T>(key);
  }

  /** Stores a library's own value (use a `kwik:<lib>:<key>` key). */
  set(key: string, value: unknown): void {
    this.write(key, value);
  }

  /** `requestId`, `userId`, `tenantId`, `ip` as they stand now (what every log line carries). */
  logFields(): ContextLogFields {
    return this.active ? logFieldsOf(this.cls.get() as Record<string | symbol, unknown>) : {};
  }

  /** A plain copy of the current context, to restore later with {@link run}. */
  capture(): RequestContextSnapshot {
    if (!this.active) return {};
    const store = this.cls.get() as Record<string, unknown>;
    const extras: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(store)) {
      if (!CORE_KEYS.has(key) && value !== undefined) extras[key] = value;
    }
    return {
      requestId: this.requestId,
      ip: this.ip,
      principal: this.principal,
      tenant: this.tenant,
      apiVersion: this.apiVersion,
      ...(Object.keys(extras).length > 0 ? { extras } : {}),
    };
  }

  /**
   * Runs `fn` in a fresh context filled from `snapshot` (a new request id when it has none).
   * Used for work outside HTTP: jobs, cron, SSE pushes, WebSocket messages, scripts.
   */
  run<T>(snapshot: RequestContextSnapshot, fn: () => T): T {
    const store: Record<string | symbol, unknown> = { ...snapshot.extras };
    store[CLS_ID] = snapshot.requestId ?? randomUUID();
    store[IP] = snapshot.ip;
    store[PRINCIPAL] = snapshot.principal;
    store[TENANT] = snapshot.tenant;
    store[API_VERSION] = snapshot.apiVersion;
    return this.cls.runWith(store as never, fn);
  }

  private read<T>(key: string): T | undefined {
    return this.active ? (this.cls.get(key) as T | undefined) : undefined;
  }

  private write(key: string, value: unknown): void {
    if (!this.active) {
      throw new KwikError(
        'KWIK_CONTEXT_INACTIVE',
        `RequestContext.set('${key}') was called outside a request context. Wrap work outside HTTP in RequestContext.run(snapshot, fn).`,
      );
    }
    this.cls.set(key, value);
  }
}
