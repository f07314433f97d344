import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ProblemException, ProblemKind, TenantOptional } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { JobStore, type JobRow } from '../postgres/job-store.js';
import { TaskWorker } from '../worker/task-worker.js';
import { TasksAdminGuard } from './tasks-admin.guard.js';

class JobIdParams {
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a job id (a positive whole number)' })
  id!: string;
}

class FailuresQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

type Counts = Record<JobRow['state'] | 'delayed', number>;

/**
 * The operations API of `@kwik/tasks` (mounted at `/_kwik/tasks` unless `adminPath` says otherwise):
 * counts by queue and state, recent failures with their errors, one job, redrive and cancel.
 */
@ApiExcludeController()
@TenantOptional()
@UseGuards(TasksAdminGuard)
@Controller()
export class TasksAdminController {
  constructor(
    private readonly transactions: TransactionManager,
    private readonly worker: TaskWorker,
  ) {}

  /** `{ queues: { <queue>: { pending, delayed, running, completed, dead, cancelled } }, worker }` */
  @Get()
  async overview(): Promise<{
    queues: Record<string, Counts>;
    worker: { id: string; stats: TaskWorker['stats'] };
  }> {
    const rows = (await this.transactions.manager.query(
      `SELECT "queue", "state", ("state" = 'pending' AND "runAt" > now()) AS "delayed", count(*)::int AS "n"
         FROM "kwik_jobs" GROUP BY 1, 2, 3 ORDER BY 1`,
    )) as { queue: string; state: JobRow['state']; delayed: boolean; n: number }[];
    const queues: Record<string, Counts> = {};
    for (const r of rows) {
      const counts = (queues[r.queue] ??= {
        pending: 0,
        delayed: 0,
        running: 0,
        completed: 0,
        dead: 0,
        cancelled: 0,
      });
      counts[r.delayed ? 'delayed' : r.state] += r.n;
    }
    return { queues, worker: { id: this.worker.id, stats: { ...this.worker.stats } } };
  }

  /** The latest dead jobs and failed attempts waiting for a retry, newest first. */
  @Get('failures')
  async failures(@Query() { limit = 50 }: FailuresQuery): Promise<{ data: JobRow[] }> {
    const data = (await this.transactions.manager.query(
      `SELECT "id"::text AS "id", "queue", "name", "state", "attempts", "maxAttempts", "lastError", "runAt", "createdAt", "finishedAt"
         FROM "kwik_jobs" WHERE "lastError" IS NOT NULL AND "state" IN ('dead', 'pending')
        ORDER BY COALESCE("finishedAt", "runAt") DESC LIMIT $1`,
      [limit],
    )) as JobRow[];
    return { data };
  }

  @Get('jobs/:id')
  async job(@Param() { id }: JobIdParams): Promise<JobRow> {
    const job = await JobStore.get(this.transactions.manager, id);
    if (!job) throw notFound(id);
    return job;
  }

  /** A dead job back on its queue with its attempts reset. 409 when it is not dead. */
  @Post('jobs/:id/redrive')
  @HttpCode(200)
  async redrive(@Param() { id }: JobIdParams): Promise<JobRow> {
    if ((await JobStore.redrive(this.transactions.manager, [id])) === 0)
      throw await this.conflict(id, 'dead', 'redriven');
    return (await JobStore.get(this.transactions.manager, id))!;
  }

  /** A pending (or delayed) job cancelled: it will not run. 409 when it is not pending. */
  @Post('jobs/:id/cancel')
  @HttpCode(200)
  async cancel(@Param() { id }: JobIdParams): Promise<JobRow> {
    const rows = (await this.transactions.manager.query(
      `UPDATE "kwik_jobs" SET "state" = 'cancelled', "finishedAt" = now() WHERE "id" = $1 AND "state" = 'pending' RETURNING "id"`,
      [id],
    )) as [unknown[], number];
    if (rows[1] === 0) throw await this.conflict(id, 'pending', 'cancelled');
    return (await JobStore.get(this.transactions.manager, id))!;
  }

  private async conflict(id: string, needed: string, verb: string): Promise<ProblemException> {
    const job = await JobStore.get(this.transactions.manager, id);
    if (!job) return notFound(id);
    if (job.state === needed && job.dedupKey !== null)
      return new ProblemException({
        status: 409,
        kind: ProblemKind.Conflict,
        title: 'Conflict',
        detail: `Job ${id} is ${job.state}, but another pending or running job holds its dedup key "${job.dedupKey}": ${verb === 'redriven' ? 'redrive it' : 'try again'} when that one has finished.`,
      });
    return new ProblemException({
      status: 409,
      kind: ProblemKind.Conflict,
      title: 'Conflict',
      detail: `Job ${id} is ${job.state}: only a ${needed} job can be ${verb}.`,
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
