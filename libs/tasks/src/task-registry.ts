import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Cron as CronPattern } from 'croner';
import {
  BACKGROUND_TASK_METADATA,
  CRON_METADATA,
  TASK_METADATA,
  TASKS_RESOLVED_OPTIONS,
} from './tasks.constants.js';
import type { BackgroundTaskOptions } from './decorators/background-task.decorator.js';
import type { CronMetadata } from './decorators/cron.decorator.js';
import { TasksError, TasksErrorCode } from './tasks.errors.js';
import type { TaskMetadata } from './decorators/task.decorator.js';
import { resolveBackoff, type ResolvedTasksOptions } from './resolve-options.js';
import type { ResolvedBackoff } from './backoff.js';

/** A discovered `@Cron()` schedule: its task is `cron:<name>`. */
export interface CronSchedule {
  readonly name: string;
  readonly task: string;
  readonly expression: string;
  readonly timezone: string | undefined;
  /** The next tick strictly after `after`. */
  next(after: Date): Date | null;
}

/** A discovered `@Task()` handler. */
export interface TaskHandler {
  readonly name: string;
  readonly queue: string;
  readonly attempts: number;
  readonly backoff: ResolvedBackoff;
  readonly payload: Type<object> | undefined;
  readonly owner: string;
  readonly run: (payload: unknown) => unknown;
}

const NAME = /^[\w.:-]{1,200}$/;

/** Finds every `@Task()` method of the app's singleton providers at boot. */
@Injectable()
export class TaskRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, TaskHandler>();
  private readonly schedules = new Map<string, CronSchedule>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(TASKS_RESOLVED_OPTIONS) private readonly options: ResolvedTasksOptions,
  ) {}

  onModuleInit(): void {
    const seen = new WeakSet<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) continue;
      if (instance === null || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const meta = this.reflector.get<TaskMetadata | undefined>(TASK_METADATA, fn as Function);
        if (meta) this.add(meta, instance, method, fn as (payload: unknown) => unknown);
        const cron = this.reflector.get<CronMetadata | undefined>(CRON_METADATA, fn as Function);
        if (cron) this.addCron(cron, instance, method, fn as (payload: unknown) => unknown);
        const background = this.reflector.get<BackgroundTaskOptions | undefined>(
          BACKGROUND_TASK_METADATA,
          fn as Function,
        );
        if (background)
          this.addBackground(background, instance, method, fn as (...args: unknown[]) => unknown);
      }
    }
  }

  private add(
    meta: TaskMetadata,
    instance: object,
    method: string,
    fn: (payload: unknown) => unknown,
    fromCron = false,
  ): void {
    const owner = `${instance.constructor.name}.${method}`;
    if (!fromCron && meta.name.startsWith('cron:'))
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Task('${meta.name}') on ${owner}: names starting with "cron:" belong to @Cron() schedules`,
      );
    if (!NAME.test(meta.name))
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Task('${meta.name}') on ${owner}: a task name is 1–200 letters, digits, '.', ':', '_' or '-'`,
      );
    const other = this.handlers.get(meta.name);
    if (other)
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Task('${meta.name}') is declared twice: on ${other.owner} and on ${owner}; task names are unique in an app`,
      );
    const paramTypes = Reflect.getMetadata('design:paramtypes', Object.getPrototypeOf(instance), method) as
      Type<object>[] | undefined;
    const inferred = paramTypes?.[0];
    const payload = meta.payload ?? (!fromCron && isDto(inferred) ? inferred : undefined);
    const queue = meta.queue ?? 'default';
    if (!/^[\w.:-]{1,100}$/.test(queue))
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Task('${meta.name}') on ${owner}: queue "${queue}" must be 1–100 letters, digits, '.', ':', '_' or '-'`,
      );
    const attempts = meta.attempts ?? this.options.attempts;
    if (!Number.isInteger(attempts) || attempts < 1)
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Task('${meta.name}') on ${owner}: attempts must be a whole number ≥ 1`,
      );
    this.handlers.set(meta.name, {
      name: meta.name,
      queue,
      attempts,
      backoff: resolveBackoff(meta.backoff, this.options.backoff, `@Task('${meta.name}') on ${owner}`),
      payload,
      owner,
      run: (p) => fn.call(instance, p),
    });
  }

  private addCron(
    meta: CronMetadata,
    instance: object,
    method: string,
    fn: (payload: unknown) => unknown,
  ): void {
    const owner = `${instance.constructor.name}.${method}`;
    const name = meta.name ?? owner;
    let pattern: CronPattern;
    try {
      pattern = new CronPattern(meta.expression, {
        paused: true,
        ...(meta.timezone ? { timezone: meta.timezone } : {}),
      });
      pattern.nextRun();
    } catch (error) {
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Cron('${meta.expression}'${meta.timezone ? `, { timezone: '${meta.timezone}' }` : ''}) on ${owner}: ${(error as Error).message}`,
      );
    }
    if (this.schedules.has(name))
      throw new TasksError(
        TasksErrorCode.InvalidTask,
        `@Cron() schedule "${name}" is declared twice (on ${owner}); give one a \`name\``,
      );
    const task = `cron:${name}`;
    this.add({ name: task, queue: meta.queue, attempts: meta.attempts }, instance, method, fn, true);
    this.schedules.set(name, {
      name,
      task,
      expression: meta.expression,
      timezone: meta.timezone,
      next: (after) => pattern.nextRun(after),
    });
  }

  /**
   * A `@BackgroundTask()` method: its task runs the original method with the stored arguments, and
   * the instance's method is replaced by one that enqueues (see {@link backgroundCalls}).
   */
  private addBackground(
    options: BackgroundTaskOptions,
    instance: object,
    method: string,
    fn: (...args: unknown[]) => unknown,
  ): void {
    const owner = `${instance.constructor.name}.${method}`;
    const name = options.name ?? `background:${owner}`;
    this.add(
      { name, queue: options.queue, attempts: options.attempts, backoff: options.backoff },
      instance,
      method,
      (args) => fn.apply(instance, Array.isArray(args) ? args : []),
      true,
    );
    this.background.push({ instance, method, name, options });
  }

  /** The `@BackgroundTask()` methods found, for the queue to replace with enqueuing ones. */
  readonly background: { instance: object; method: string; name: string; options: BackgroundTaskOptions }[] =
    [];

  /** Every `@Cron()` schedule. */
  get crons(): readonly CronSchedule[] {
    return [...this.schedules.values()];
  }

  get(name: string): TaskHandler | undefined {
    return this.handlers.get(name);
  }

  get all(): readonly TaskHandler[] {
    return [...this.handlers.values()];
  }
}

/** A class worth validating: not a built-in (Object, String, Array…). */
function isDto(type: unknown): type is Type<object> {
  return (
    typeof type === 'function' &&
    ![Object, String, Number, Boolean, Array, Promise, Function].includes(type as never)
  );
}
