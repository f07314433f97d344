/** How a failed job waits before its next attempt. */
export interface BackoffOptions {
  /** `exponential`: delay × 2^(attempt-1); `fixed`: always delay. @default 'exponential' */
  type?: 'exponential' | 'fixed';
  /** The first delay, in ms. @default 1000 */
  delayMs?: number;
  /** The longest delay, in ms. @default 3600000 (1 h) */
  maxDelayMs?: number;
  /** Spread each delay randomly over [delay/2, delay] so failures of one cause do not retry in step. @default true */
  jitter?: boolean;
}

/** ioredis connection options (the subset most apps set; any other ioredis option is passed on). */
export interface BullmqRedisOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  [option: string]: unknown;
}

/** Options of one queue. */
export interface QueueOptions {
  /** Jobs of this queue run at once in this process. @default the module's `concurrency` */
  concurrency?: number;
}

/** Options of `TasksModule.forRoot()`. */
export interface TasksModuleOptions {
  /**
   * Where jobs live. `postgres`: Kwik's own queue in the app's database (a `kwik_jobs` table, made by
   * the `TasksSchema` migration). `bullmq`: BullMQ queues on Redis (`redis` required; the `bullmq`
   * package installed); enqueues inside a transaction go through an outbox table (the
   * `TasksOutbox` migration) relayed to Redis after COMMIT. @default 'postgres'
   */
  driver?: 'postgres' | 'bullmq';
  /**
   * Redis for the `bullmq` driver: a `redis://` / `rediss://` URL or ioredis options. Required with
   * `driver: 'bullmq'`, refused with `postgres`.
   */
  redis?: string | BullmqRedisOptions;
  /** Key prefix of the BullMQ queues in Redis (`bullmq` driver). @default 'kwik' */
  prefix?: string;
  /** Queues this process works, with their options. @default { default: {} } */
  queues?: Readonly<Record<string, QueueOptions>>;
  /** Jobs run at once per queue, unless the queue says otherwise. @default 5 */
  concurrency?: number;
  /** Run workers in this process (false: only enqueue, e.g. in an API-only deployment). @default true */
  worker?: boolean;
  /** Attempts of a job unless its task or the enqueue says otherwise. @default 5 */
  attempts?: number;
  /** Backoff between attempts unless its task or the enqueue says otherwise. */
  backoff?: BackoffOptions;
  /**
   * How long a claimed job is its worker's: a job whose worker died is claimed again after this.
   * Running jobs' leases are renewed every third of it. @default 30000
   */
  leaseMs?: number;
  /** A slow poll for due jobs, besides LISTEN/NOTIFY wake-ups (delayed jobs, lost notifications). @default 5000 */
  pollIntervalMs?: number;
  /** On shutdown, how long running jobs may take to finish before their leases are released. @default 10000 */
  shutdownTimeoutMs?: number;
  /** How long completed and cancelled jobs are kept (result and all) before they are deleted. @default 604800000 (7 days) */
  keepCompletedMs?: number;
  /** How long dead jobs are kept for inspection and redrive before they are deleted. @default 2592000000 (30 days) */
  keepDeadMs?: number;
  /** How often a worker deletes expired finished jobs (in batches of 1000). @default 60000 */
  cleanupIntervalMs?: number;
  /** The permission the operations API (`/_kwik/tasks`) requires of the principal. @default 'tasks:manage' */
  adminPermission?: string;
}
