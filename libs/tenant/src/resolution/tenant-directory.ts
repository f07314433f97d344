import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { KwikTenant } from '../entities/kwik-tenant.entity.js';
import { TENANCY_CONFIG } from '../tenant.constants.js';
import type { TenancyConfig } from '../tenancy-config.js';
import { toTenantRecord, type TenantRecord } from './tenant-record.js';

interface Entry {
  readonly tenant: TenantRecord | null;
  readonly expires: number;
}

/** A tenant named by slug or by id. */
export type TenantKey = { readonly slug: string } | { readonly id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tenants by slug and by id, remembered for `cacheSeconds` (unknown ones for
 * `negativeCacheSeconds`) so that resolving a request's tenant costs no query. Concurrent
 * lookups of one tenant share a query. The registry forgets a tenant it changes; other instances
 * see the change within `cacheSeconds`.
 */
@Injectable()
export class TenantDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<TenantRecord | null>>();
  private readonly repository: Repository<KwikTenant>;

  constructor(
    @Inject(TENANCY_CONFIG) private readonly config: TenancyConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.repository = dataSource.getRepository(config.tenantEntity);
  }

  /** The cached answer: a tenant, `null` (known not to exist), or `undefined` (ask {@link find}). */
  peek(key: TenantKey): TenantRecord | null | undefined {
    const entry = this.entries.get(cacheKey(key));
    if (entry === undefined) return undefined;
    if (entry.expires < Date.now()) return undefined;
    return entry.tenant;
  }

  /** The tenant, from the cache or the database; `null` when there is none. */
  find(key: TenantKey): Promise<TenantRecord | null> {
    const cached = this.peek(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const k = cacheKey(key);
    let pending = this.inFlight.get(k);
    if (!pending) {
      pending = this.load(key).finally(() => this.inFlight.delete(k));
      this.inFlight.set(k, pending);
    }
    return pending;
  }

  /** Forgets a tenant (after the registry changed it). */
  forget(tenant: { id: string; slug: string }): void {
    this.entries.delete(cacheKey({ id: tenant.id }));
    this.entries.delete(cacheKey({ slug: tenant.slug }));
  }

  /** Forgets every tenant. */
  clear(): void {
    this.entries.clear();
  }

  private async load(key: TenantKey): Promise<TenantRecord | null> {
    if ('id' in key && !UUID.test(key.id)) return this.remember(key, null);
    const row = await this.repository.findOne({
      where: 'id' in key ? { id: key.id } : { slug: key.slug },
    });
    const tenant = row ? toTenantRecord(row) : null;
    if (tenant) {
      this.remember({ id: tenant.id }, tenant);
      this.remember({ slug: tenant.slug }, tenant);
    } else this.remember(key, null);
    return tenant;
  }

  private remember(key: TenantKey, tenant: TenantRecord | null): TenantRecord | null {
    const ttl = tenant ? this.config.cacheMs : this.config.negativeCacheMs;
    if (ttl <= 0) return tenant;
    if (this.entries.size >= this.config.cacheSize) {
      // Oldest first (a Map keeps insertion order): a bounded cache, never an unbounded one.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(cacheKey(key), { tenant, expires: Date.now() + ttl });
    return tenant;
  }
}

function cacheKey(key: TenantKey): string {
  return 'id' in key ? `i:${key.id}` : `s:${key.slug}`;
}
