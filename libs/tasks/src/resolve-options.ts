import { DEFAULT_BACKOFF, type ResolvedBackoff } from './backoff.js';
import type { BackoffOptions, BullmqRedisOptions, TasksModuleOptions } from './tasks-options.interface.js';
import { TasksError, TasksErrorCode } from './tasks.errors.js';

export interface ResolvedTasksOptions {
  readonly driver: 'postgres' | 'bullmq';
  /** The `bullmq` driver's Redis (a URL or ioredis options); undefined with `postgres`. */
  readonly redis: string | BullmqRedisOptions | undefined;
  /** The `bullmq` driver's key prefix. */
  readonly prefix: string;
  readonly queues: ReadonlyMap<string, { concurrency: number }>;
  readonly worker: boolean;
  readonly attempts: number;
  readonly backoff: ResolvedBackoff;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly pollIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  readonly adminPermission: string;
  readonly keepCompletedMs: number;
  readonly keepDeadMs: number;
  readonly cleanupIntervalMs: number;
}

function fail(message: string): never {
  throw new TasksError(TasksErrorCode.InvalidOptions, `TasksModule.forRoot(): ${message}`);
}

const positiveInt = (value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    fail(`${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
  return value;
};

/** Validates a backoff (module, task or enqueue level) over `base`. */
export function resolveBackoff(
  backoff: BackoffOptions | undefined,
  base: ResolvedBackoff,
  where: string,
): ResolvedBackoff {
  if (backoff === undefined) return base;
  const out = { ...base, ...backoff };
  if (out.type !== 'exponential' && out.type !== 'fixed')
    throw new TasksError(
      TasksErrorCode.InvalidOptions,
      `${where}: backoff.type must be 'exponential' or 'fixed'`,
    );
  for (const key of ['delayMs', 'maxDelayMs'] as const)
    if (typeof out[key] !== 'number' || !Number.isFinite(out[key]) || out[key] < 0)
      throw new TasksError(
        TasksErrorCode.InvalidOptions,
        `${where}: backoff.${key} must be a number of ms ≥ 0`,
      );
  return out;
}

export function resolveTasksOptions(options: TasksModuleOptions = {}): ResolvedTasksOptions {
  const driver = options.driver ?? 'postgres';
  if (driver !== 'postgres' && driver !== 'bullmq')
    fail(`driver must be 'postgres' or 'bullmq', got ${JSON.stringify(driver)}`);
  const redis = options.redis;
  if (driver === 'bullmq') {
    if (redis === undefined || redis === '')
      fail("driver 'bullmq' needs `redis`: a redis:// URL (e.g. process.env.REDIS_URL) or ioredis options");
    if (typeof redis === 'string' && !/^rediss?:\/\//.test(redis))
      fail(`redis must be a redis:// or rediss:// URL, got "${redis}"`);
    if (typeof redis !== 'string' && (redis === null || typeof redis !== 'object'))
      fail('redis must be a redis:// URL or an object of ioredis options');
  } else if (redis !== undefined) fail("`redis` is for driver 'bullmq' only (this module uses 'postgres')");
  const prefix = options.prefix ?? 'kwik';
  if (typeof prefix !== 'string' || !/^[\w.-]{1,50}$/.test(prefix))
    fail(`prefix must be 1–50 letters, digits, '.', '_' or '-', got ${JSON.stringify(prefix)}`);
  const concurrency = positiveInt(options.concurrency ?? 5, 'concurrency', 1000);
  const queues = new Map<string, { concurrency: number }>();
  for (const [name, q] of Object.entries(options.queues ?? { default: {} })) {
    if (!/^[\w.:-]{1,100}$/.test(name))
      fail(`queue name "${name}" must be 1–100 letters, digits, '.', ':', '_' or '-'`);
    queues.set(name, {
      concurrency: positiveInt(q.concurrency ?? concurrency, `queues.${name}.concurrency`, 1000),
    });
  }
  if (queues.size === 0) fail('`queues` names no queue: leave it out for { default: {} }');
  const leaseMs = positiveInt(options.leaseMs ?? 30_000, 'leaseMs');
  if (leaseMs < 1000)
    fail(`leaseMs must be at least 1000 (a lease renewed every third of it), got ${leaseMs}`);
  return {
    driver,
    redis: driver === 'bullmq' ? redis : undefined,
    prefix,
    queues,
    worker: options.worker ?? true,
    attempts: positiveInt(options.attempts ?? 5, 'attempts', 1000),
    backoff: resolveBackoff(options.backoff, DEFAULT_BACKOFF, 'TasksModule.forRoot()'),
    leaseMs,
    heartbeatMs: Math.floor(leaseMs / 3),
    pollIntervalMs: positiveInt(options.pollIntervalMs ?? 5000, 'pollIntervalMs'),
    shutdownTimeoutMs: positiveInt(options.shutdownTimeoutMs ?? 10_000, 'shutdownTimeoutMs'),
    adminPermission: adminPermission(options.adminPermission),
    keepCompletedMs: positiveInt(options.keepCompletedMs ?? 7 * 86_400_000, 'keepCompletedMs'),
    keepDeadMs: positiveInt(options.keepDeadMs ?? 30 * 86_400_000, 'keepDeadMs'),
    cleanupIntervalMs: positiveInt(options.cleanupIntervalMs ?? 60_000, 'cleanupIntervalMs'),
  };
}

function adminPermission(value: unknown): string {
  const permission = value ?? 'tasks:manage';
  if (typeof permission !== 'string' || !/^[\w.-]+:[\w.*-]+$/.test(permission))
    fail(`adminPermission must look like "resource:action", got ${String(value)}`);
  return permission;
}
