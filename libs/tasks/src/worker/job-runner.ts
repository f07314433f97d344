import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { RequestContext, type RequestContextSnapshot } from '@kwik/core';
import { TaskRegistry, type TaskHandler } from '../task-registry.js';
import type { ResolvedTasksOptions } from '../resolve-options.js';
import { TASKS_RESOLVED_OPTIONS } from '../tasks.constants.js';

/** A failure that no retry can fix (an invalid payload, no handler): the job is dead at once. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/** What a driver hands the runner of one job. */
export interface RunnableJob {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  /** The enqueuer's context as stored with the job (request id, principal, tenant, API version). */
  readonly context: Record<string, unknown> | null;
}

/**
 * Runs one job's handler the same way for every driver: the payload validated against the task's
 * DTO (invalid → {@link PermanentFailure}), the enqueuer's request context restored with the job's
 * id (so every log line of the handler carries `jobId` and the originating `requestId`), and the
 * result checked to be storable as JSON.
 */
@Injectable()
export class JobRunner {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly context: RequestContext,
    @Inject(TASKS_RESOLVED_OPTIONS) options: ResolvedTasksOptions,
  ) {
    this.refuseNul = options.driver === 'postgres';
  }

  /** PostgreSQL's jsonb cannot hold a NUL character; Redis can. */
  private readonly refuseNul: boolean;

  /** Resolves with the handler's result; rejects with its error or a {@link PermanentFailure}. */
  run(job: RunnableJob): Promise<unknown> {
    const handler = this.registry.get(job.name);
    if (!handler) return Promise.reject(new PermanentFailure(`no @Task('${job.name}') handler in this app`));
    if (handler.payload)
      return validPayload(handler, job.payload).then((payload) => this.invoke(handler, job, payload));
    return this.invoke(handler, job, job.payload);
  }

  /** The handler in the enqueuer's context; a plain (non-promise) result costs no extra promise turn. */
  private invoke(handler: TaskHandler, job: RunnableJob, payload: unknown): Promise<unknown> {
    const snapshot: RequestContextSnapshot =
      job.context === null
        ? { jobId: job.id }
        : { ...(job.context as RequestContextSnapshot), jobId: job.id };
    let result: unknown;
    try {
      result = this.context.run(snapshot, () => handler.run(payload));
    } catch (error) {
      return Promise.reject(error);
    }
    if (result instanceof Promise) return result.then((value) => storable(job, value, this.refuseNul));
    try {
      return Promise.resolve(storable(job, result, this.refuseNul));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** The result, when JSON can store it; else a {@link PermanentFailure}. */
function storable(job: RunnableJob, result: unknown, refuseNul: boolean): unknown {
  if (result === undefined || result === null) return result;
  try {
    const json = JSON.stringify(result) ?? 'null';
    if (refuseNul && json.replaceAll('\\\\', '').includes('\\u0000'))
      throw new Error('it contains a NUL character (\\u0000)');
  } catch (error) {
    throw new PermanentFailure(
      `the result of ${job.name} cannot be stored as JSON: ${(error as Error).message}`,
    );
  }
  return result;
}

async function validPayload(handler: TaskHandler, payload: unknown): Promise<unknown> {
  if (!handler.payload) return payload;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new PermanentFailure(`the payload of ${handler.name} must be an object (${handler.payload.name})`);
  const instance = plainToInstance(handler.payload, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const detail = errors
      .map((e) => `${e.property}: ${Object.values(e.constraints ?? { invalid: 'is invalid' }).join(', ')}`)
      .join('; ');
    throw new PermanentFailure(`invalid payload for ${handler.name} (${handler.payload.name}): ${detail}`);
  }
  return instance;
}
