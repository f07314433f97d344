import { KwikError } from '@kwik/core';
import { LoginThrottleStore, type ThrottleRule, type ThrottleState } from '../login-throttle.store.js';

/** Options of a {@link MemoryLoginThrottleStore}. */
export interface MemoryLoginThrottleStoreOptions {
  /**
   * Most keys held; beyond it expired keys are swept, then the least recently failed dropped.
   * @default 100000
   */
  maxEntries?: number;
}

interface Entry extends ThrottleState {
  expiresAt: number;
}

const NONE: ThrottleState = Object.freeze({ failures: 0, lockedUntil: 0 });
// A full sweep is O(entries); at capacity, sweep at most this often and evict otherwise.
const SWEEP_EVERY_MS = 10_000;

/**
 * The embedded {@link LoginThrottleStore}: counts live in this process only, so each instance of a
 * scaled-out app counts separately — use `RedisLoginThrottleStore` there.
 *
 * @example
 * const throttle = new LoginThrottle(new MemoryLoginThrottleStore());
 */
export class MemoryLoginThrottleStore extends LoginThrottleStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryLoginThrottleStoreOptions = {}) {
    super();
    const { maxEntries = 100_000 } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new KwikError(
        'KWIK_AUTH_INVALID_OPTIONS',
        `MemoryLoginThrottleStore maxEntries must be a positive integer, got ${String(maxEntries)}.`,
      );
    }
    this.maxEntries = maxEntries;
  }

  /** Keys currently held (expired ones included until swept). */
  get size(): number {
    return this.entries.size;
  }

  override async get(key: string, now: number): Promise<ThrottleState> {
    const entry = this.entries.get(key);
    if (entry === undefined) return NONE;
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return NONE;
    }
    return { failures: entry.failures, lockedUntil: entry.lockedUntil };
  }

  override async hit(key: string, rule: ThrottleRule, now: number): Promise<ThrottleState> {
    const entry = nextState(this.entries.get(key), rule, now);
    // Re-inserting keeps the Map ordered from least to most recently failed.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.shrink(now);
    return { failures: entry.failures, lockedUntil: entry.lockedUntil };
  }

  override async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private shrink(now: number): void {
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      for (const [key, entry] of this.entries) if (now >= entry.expiresAt) this.entries.delete(key);
    }
    const keys = this.entries.keys();
    while (this.entries.size > this.maxEntries) this.entries.delete(keys.next().value as string);
  }
}

/** The {@link ThrottleRule} transition; the Redis driver's Lua script mirrors it line by line. */
function nextState(previous: Entry | undefined, rule: ThrottleRule, now: number): Entry {
  const window = rule.windowSeconds * 1000;
  const fresh = previous === undefined || now >= previous.expiresAt;
  const state = fresh ? { failures: 0, lockedUntil: 0, expiresAt: now + window } : { ...previous };
  state.failures += 1;
  if (state.failures >= rule.maxFailures) {
    const doublings = Math.min(state.failures - rule.maxFailures, 30);
    const lock = Math.min(rule.lockSeconds * 2 ** doublings, rule.maxLockSeconds) * 1000;
    state.lockedUntil = Math.max(state.lockedUntil, now + lock);
    state.expiresAt = Math.max(state.expiresAt, state.lockedUntil + window);
  }
  return state;
}
