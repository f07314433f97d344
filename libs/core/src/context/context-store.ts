import type { ContextLogFields } from './context.keys.js';
import type { KwikPrincipal, KwikTenantRef } from './context.types.js';

/**
 * What one request (or one job, cron run, message) knows about itself. Created by core when a
 * request arrives or by `RequestContext.run()`; libraries fill it as they learn more.
 */
export class ContextStore {
  ip: string | undefined;
  principal: KwikPrincipal | undefined;
  tenant: KwikTenantRef | undefined;
  apiVersion: string | undefined;
  /** The background job this context runs, when it runs one (set by the tasks library). */
  jobId: string | undefined;
  /** Libraries' own values under `kwik:<lib>:<key>` keys. */
  readonly extras = new Map<string, unknown>();

  constructor(
    readonly requestId: string,
    ip?: string,
  ) {
    this.ip = ip;
  }

  /** `requestId`, `userId`, `tenantId`, `ip`, `apiVersion`, `jobId` as they stand now (what every log line carries). */
  logFields(): ContextLogFields {
    const fields: ContextLogFields = { requestId: this.requestId };
    if (this.principal?.id) fields.userId = this.principal.id;
    if (this.tenant?.id) fields.tenantId = this.tenant.id;
    if (this.ip) fields.ip = this.ip;
    if (this.apiVersion !== undefined) fields.apiVersion = this.apiVersion;
    if (this.jobId !== undefined) fields.jobId = this.jobId;
    return fields;
  }
}
