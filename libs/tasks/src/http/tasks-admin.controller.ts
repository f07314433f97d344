import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ProblemException, ProblemKind, RequestContext, TenantOptional } from '@kwik/core';
import type { JobRow } from '../postgres/job-store.js';
import { TaskBackend, tenantOf, type QueueCounts, type WorkerInfo } from '../backend/task-backend.js';
import { TasksAdminGuard } from './tasks-admin.guard.js';

class JobIdParams {
  @Matches(/^[\w-]{1,64}$/, { message: 'id must be a job id' })
  id!: string;
}

class FailuresQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

/**
 * The operations API of `@kwik/tasks` (mounted at `/_kwik/tasks` unless `adminPath` says otherwise):
 * counts by queue and state, recent failures with their errors, one job, redrive and cancel — the
 * same for both drivers. A caller inside a tenant (a tenant's admin) sees and acts on that tenant's
 * jobs only (the tenant a job was enqueued for); a caller outside any tenant (a platform operator)
 * on every job.
 */
@ApiExcludeController()
@TenantOptional()
@UseGuards(TasksAdminGuard)
@Controller()
export class TasksAdminController {
  constructor(
    private readonly backend: TaskBackend,
    private readonly context: RequestContext,
  ) {}

  /**
   * `{ queues: [{ name, counts: { waiting, active, delayed, completed, failed, cancelled } }], scope, worker }`;
   * `scope` says whose jobs the counts are: `all` tenants, or one `tenant`'s (the BullMQ driver
   * counts whole queues, so there it is `all` even for a tenant's caller).
   */
  @Get()
  async overview(): Promise<{
    queues: { name: string; counts: QueueCounts }[];
    scope: { tenant: string | null; counts: 'tenant' | 'all' };
    worker: WorkerInfo;
  }> {
    const tenant = this.context.tenant;
    const byTenant = tenant !== undefined && this.backend.countsByTenant;
    return {
      queues: await this.backend.counts(byTenant ? tenant.id : undefined),
      scope: { tenant: tenant?.slug ?? tenant?.id ?? null, counts: byTenant ? 'tenant' : 'all' },
      worker: this.backend.worker,
    };
  }

  /** The latest dead jobs and failed attempts waiting for a retry, newest first. */
  @Get('failures')
  async failures(@Query() { limit = 50 }: FailuresQuery): Promise<{ data: JobRow[] }> {
    return { data: await this.backend.failures(limit, this.context.tenant?.id) };
  }

  @Get('jobs/:id')
  async job(@Param() { id }: JobIdParams): Promise<JobRow> {
    return this.visible(id);
  }

  /** The job, when the caller may see it (404 otherwise: another tenant's job does not exist for it). */
  private async visible(id: string): Promise<JobRow> {
    this.checkId(id);
    const job = await this.backend.get(id);
    const tenant = this.context.tenant?.id;
    if (!job || (tenant !== undefined && tenantOf(job) !== tenant)) throw notFound(id);
    return job;
  }

  /** A dead job back on its queue with its attempts reset. 409 when it is not dead. */
  @Post('jobs/:id/redrive')
  @HttpCode(200)
  async redrive(@Param() { id }: JobIdParams): Promise<JobRow> {
    await this.visible(id);
    if ((await this.backend.redrive([id])) === 0) throw await this.conflict(id, 'dead', 'redriven');
    return (await this.backend.get(id))!;
  }

  /** A pending (or delayed) job cancelled: it will not run. 409 when it is not pending. */
  @Post('jobs/:id/cancel')
  @HttpCode(200)
  async cancel(@Param() { id }: JobIdParams): Promise<JobRow> {
    const before = await this.visible(id);
    if (!(await this.backend.cancel(id))) throw await this.conflict(id, 'pending', 'cancelled');
    // The BullMQ driver removes a cancelled job: answer with what it was.
    return (await this.backend.get(id)) ?? { ...before, state: 'cancelled', finishedAt: new Date() };
  }

  /** A 400 naming the driver's id format for an id it could not have issued. */
  private checkId(id: string): void {
    if (!this.backend.isJobId(id))
      throw ProblemException.validation([
        { field: 'id', message: `id must be a job id (${this.backend.jobIdFormat})` },
      ]);
  }

  private async conflict(id: string, needed: string, verb: string): Promise<ProblemException> {
    const job = await this.backend.get(id);
    if (!job) return notFound(id);
    if (verb === 'redriven' && job.state === needed && job.dedupKey !== null)
      return new ProblemException({
        status: 409,
        kind: ProblemKind.Conflict,
        title: 'Conflict',
        detail: `Job ${id} is ${job.state}, but another pending or running job holds its dedup key "${job.dedupKey}": redrive it when that one has finished.`,
      });
    return new ProblemException({
      status: 409,
      kind: ProblemKind.Conflict,
      title: 'Conflict',
      detail:
        job.state === needed
          ? `Job ${id} could not be ${verb}: a worker took it meanwhile.`
          : `Job ${id} is ${job.state}: only a ${needed} job can be ${verb}.`,
    });
  }
}

function notFound(id: string): ProblemException {
  return new ProblemException({
    status: 404,
    kind: ProblemKind.NotFound,
    title: 'Not Found',
    detail: `No job ${id}.`,
  });
}
