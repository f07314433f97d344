/**
 * When failed logins of one key (an account, an IP address) lock it, and for how long.
 *
 * Failures are counted from the first one; after `maxFailures` within `windowSeconds` each
 * further failure locks the key for `lockSeconds`, doubling per failure up to `maxLockSeconds`.
 * The count is forgotten `windowSeconds` after the first failure — or after the lock ends, when
 * locked — so backoff keeps growing while an attacker keeps trying.
 */
export interface ThrottleRule {
  /** Failures that trigger the first lock. */
  maxFailures: number;
  /** Seconds a failure is remembered (from the first failure, or from the end of a lock). */
  windowSeconds: number;
  /** First lock duration in seconds; doubles with each further failure. */
  lockSeconds: number;
  /** Longest lock in seconds. */
  maxLockSeconds: number;
}

/** Failure count and lock of one key. */
export interface ThrottleState {
  /** Failures remembered for the key. */
  failures: number;
  /** End of the lock in epoch milliseconds; `0` when never locked. */
  lockedUntil: number;
}

/**
 * Port: where login failures are counted. Implementations apply {@link ThrottleRule} semantics
 * atomically per key, so several app instances sharing a store share the counts. Time is passed
 * in (epoch ms) rather than read, so the policy is testable without waiting.
 *
 * Drivers: `MemoryLoginThrottleStore` (one process) and `RedisLoginThrottleStore` (shared).
 *
 * @example
 * class DynamoLoginThrottleStore extends LoginThrottleStore {
 *   async get(key, now) { … }
 *   async hit(key, rule, now) { … }
 *   async reset(key) { … }
 * }
 */
export abstract class LoginThrottleStore {
  /**
   * The remembered state of `key` at `now`; `{ failures: 0, lockedUntil: 0 }` when there is none.
   *
   * @example
   * await store.get('account:ann@acme.test', Date.now());
   */
  abstract get(key: string, now: number): Promise<ThrottleState>;

  /**
   * Records one failure of `key` at `now` under `rule` and returns the new state.
   *
   * @example
   * await store.hit('ip:203.0.113.7', rule, Date.now());
   */
  abstract hit(key: string, rule: ThrottleRule, now: number): Promise<ThrottleState>;

  /**
   * Forgets `key` (after a successful login).
   *
   * @example
   * await store.reset('account:ann@acme.test');
   */
  abstract reset(key: string): Promise<void>;
}
