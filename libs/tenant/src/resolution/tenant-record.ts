import type { KwikTenantRef } from '@kwik/core';
import type { KwikTenant, TenantSettingsDocument, TenantStatus } from '../entities/kwik-tenant.entity.js';

/** The tenant a request acts for, as the tenancy library writes it into the request context. */
export interface TenantRecord extends KwikTenantRef {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: TenantStatus;
  readonly plan: string | null;
  readonly settings: Readonly<TenantSettingsDocument>;
}

/** A frozen record of a tenant row (the same object is reused while it is cached). */
export function toTenantRecord(row: KwikTenant): TenantRecord {
  return Object.freeze({
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    plan: row.plan ?? null,
    settings: Object.freeze({ ...row.settings }),
  });
}
