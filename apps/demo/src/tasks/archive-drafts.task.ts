import { Inject, Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { Cron, type CronTick } from '@kwik/tasks';
import { TenantRegistry } from '@kwik/tenant';
import { DemoConfig } from '../config/demo-config.js';

/** What a `posts.archive-drafts` run stores as its job's result. */
export interface ArchiveDraftsResult {
  /** Drafts archived, over every tenant. */
  archived: number;
}

/** The name of the nightly schedule (its task is `cron:posts.archive-drafts`). */
export const ARCHIVE_DRAFTS_SCHEDULE = 'posts.archive-drafts';

/**
 * One statement per tenant: drafts whose last update is older than the cutoff become `archived`
 * (optimistic-lock `version` bumped, `updatedAt` set). `posts` is unqualified on purpose: the
 * tenant's session puts its schema first on the `search_path` (schema strategy) or its id in
 * `kwik.tenant_id` for row-level security (shared strategy); the `tenantId` condition keeps the
 * shared strategy on its `(tenantId, status, …)` index.
 */
const ARCHIVE_SQL = `WITH archived AS (
  UPDATE "posts" SET "status" = 'archived', "version" = "version" + 1, "updatedAt" = now()
   WHERE "tenantId" = $1 AND "status" = 'draft' AND "updatedAt" < $2::timestamptz - make_interval(days => $3)
  RETURNING 1
)
SELECT count(*)::int AS "archived" FROM archived`;

/**
 * Every night at 03:00 UTC, archives the drafts nobody touched for `ARCHIVE_DRAFTS_AFTER_DAYS`
 * days (90 by default), tenant by tenant. A cron job runs without a tenant, so it enters each
 * active tenant's context itself (the fresh registry record, so a tenant suspended since is
 * skipped and its posts left alone). The cutoff is computed from the tick, not the clock, so a retry
 * hours later archives the same drafts; running it twice archives nothing more.
 */
@Injectable()
export class ArchiveDraftsTask {
  private readonly logger = new Logger('ArchiveDrafts');

  constructor(
    @Inject(DemoConfig) private readonly config: DemoConfig,
    private readonly tx: TransactionManager,
    private readonly registry: TenantRegistry,
    private readonly context: RequestContext,
  ) {}

  @Cron('0 3 * * *', { timezone: 'UTC', name: ARCHIVE_DRAFTS_SCHEDULE })
  async archiveDrafts({ tick }: CronTick): Promise<ArchiveDraftsResult> {
    const days = this.config.ARCHIVE_DRAFTS_AFTER_DAYS;
    let archived = 0;
    for (const tenant of await this.registry.list()) {
      if (tenant.status !== 'active') continue;
      const [row] = (await this.context.run({ ...this.context.capture(), tenant }, () =>
        this.tx.manager.query(ARCHIVE_SQL, [tenant.id, tick, days]),
      )) as { archived: number }[];
      archived += row?.archived ?? 0;
    }
    this.logger.log(`archived ${archived} draft(s) not updated for ${days} days before ${tick}`);
    return { archived };
  }
}
