import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { RequestContext, type RequestContextSnapshot } from '@kwik/core';
import { TaskRegistry, type TaskHandler } from '../task-registry.js';

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
  ) {}

  async run(job: RunnableJob): Promise<unknown> {
    const handler = this.registry.get(job.name);
    if (!handler) throw new PermanentFailure(`no @Task('${job.name}') handler in this app`);
    const payload = await payloadOf(handler, job.payload);
    const snapshot: RequestContextSnapshot = {
      ...((job.context ?? {}) as RequestContextSnapshot),
      jobId: job.id,
    };
    const result = await this.context.run(snapshot, () => handler.run(payload));
    try {
      if ((JSON.stringify(result ?? null) ?? 'null').replaceAll('\\\\', '').includes('\\u0000'))
        throw new Error('it contains a NUL character (\\u0000)');
    } catch (error) {
      throw new PermanentFailure(
        `the result of ${job.name} cannot be stored as JSON: ${(error as Error).message}`,
      );
    }
    return result;
  }
}

async function payloadOf(handler: TaskHandler, payload: unknown): Promise<unknown> {
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
