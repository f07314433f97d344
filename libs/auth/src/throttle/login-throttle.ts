import { createHash } from 'node:crypto';
import { KwikError } from '@kwik/core';
import type { LoginThrottleStore, ThrottleRule } from './login-throttle.store.js';

/** Options of a {@link LoginThrottle}; each rule field falls back to its default. */
export interface LoginThrottleOptions {
  /**
   * Per-account rule.
   * @default { maxFailures: 5, windowSeconds: 900, lockSeconds: 30, maxLockSeconds: 900 }
   */
  account?: Partial<ThrottleRule>;
  /**
   * Per-IP rule (credential stuffing across many accounts from one address).
   * @default { maxFailures: 50, windowSeconds: 900, lockSeconds: 900, maxLockSeconds: 900 }
   */
  ip?: Partial<ThrottleRule>;
  /**
   * Current time in epoch milliseconds (tests inject a clock).
   * @default Date.now
   */
  now?: () => number;
}

/** A login attempt: the account identifier typed (email) and the client address, if known. */
export interface LoginAttempt {
  account: string;
  /** Client IP; without it only the account is throttled. */
  ip?: string | null;
}

/** Whether a login attempt may proceed; when not, `Retry-After` and which limit applies. */
export type LoginThrottleDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: 'account' | 'ip' };

/** Defaults: 5 failures per account in 15 min, then 30 s doubling to 15 min. */
export const DEFAULT_ACCOUNT_THROTTLE: Readonly<ThrottleRule> = Object.freeze({
  maxFailures: 5,
  windowSeconds: 900,
  lockSeconds: 30,
  maxLockSeconds: 900,
});
/** Defaults: 50 failures per IP address in 15 min, then locked 15 min. */
export const DEFAULT_IP_THROTTLE: Readonly<ThrottleRule> = Object.freeze({
  maxFailures: 50,
  windowSeconds: 900,
  lockSeconds: 900,
  maxLockSeconds: 900,
});

const ALLOWED: LoginThrottleDecision = Object.freeze({ allowed: true });
const MAX_KEY_VALUE = 128;

/**
 * Brute-force protection for logins, per account and per client IP, on a {@link LoginThrottleStore}.
 * Call `check` before verifying the password, `recordFailure` when it is wrong (or the account is
 * unknown — count those too, so probing unknown emails is throttled alike), `recordSuccess` after
 * a successful login.
 *
 * @example
 * const throttle = new LoginThrottle(new RedisLoginThrottleStore(redis));
 * const decision = await throttle.check({ account: body.email, ip: request.ip });
 * if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSeconds); // 429 + Retry-After
 * if (!valid) { await throttle.recordFailure({ account: body.email, ip: request.ip }); throw unauthorized(); }
 * await throttle.recordSuccess({ account: body.email });
 */
export class LoginThrottle {
  private readonly accountRule: ThrottleRule;
  private readonly ipRule: ThrottleRule;
  private readonly now: () => number;

  constructor(
    private readonly store: LoginThrottleStore,
    options: LoginThrottleOptions = {},
  ) {
    this.accountRule = resolveRule('account', DEFAULT_ACCOUNT_THROTTLE, options.account);
    this.ipRule = resolveRule('ip', DEFAULT_IP_THROTTLE, options.ip);
    this.now = options.now ?? Date.now;
  }

  /**
   * Whether an attempt may proceed now; when both the account and the IP are locked, the longer
   * wait is reported.
   *
   * @example
   * await throttle.check({ account: 'ann@acme.test', ip: '203.0.113.7' }); // { allowed: true }
   */
  async check(attempt: LoginAttempt): Promise<LoginThrottleDecision> {
    const now = this.now();
    const [account, ip] = await Promise.all(
      this.keysOf(attempt).map(async (key) =>
        key === null ? 0 : (await this.store.get(key, now)).lockedUntil,
      ),
    );
    return decide(account, ip, now);
  }

  /**
   * Counts a failed attempt against the account and the IP; returns the decision for the next
   * attempt (so the response to the failure that triggers a lock can already say so).
   *
   * @example
   * await throttle.recordFailure({ account: 'ann@acme.test', ip: '203.0.113.7' });
   */
  async recordFailure(attempt: LoginAttempt): Promise<LoginThrottleDecision> {
    const now = this.now();
    const rules = [this.accountRule, this.ipRule];
    const [account, ip] = await Promise.all(
      this.keysOf(attempt).map(async (key, i) =>
        key === null ? 0 : (await this.store.hit(key, rules[i], now)).lockedUntil,
      ),
    );
    return decide(account, ip, now);
  }

  /**
   * Clears the account's failures after a successful login. The IP count stays: one success must
   * not reset a credential-stuffing run spread across many accounts.
   *
   * @example
   * await throttle.recordSuccess({ account: 'ann@acme.test' });
   */
  async recordSuccess(attempt: Pick<LoginAttempt, 'account'>): Promise<void> {
    await this.store.reset(`account:${keyValue(attempt.account.trim().toLowerCase())}`);
  }

  private keysOf(attempt: LoginAttempt): [string, string | null] {
    const ip = attempt.ip?.trim();
    return [
      `account:${keyValue(attempt.account.trim().toLowerCase())}`,
      ip ? `ip:${keyValue(ip.toLowerCase())}` : null,
    ];
  }
}

/** Long values are hashed so a huge login field cannot make a huge store key. */
function keyValue(value: string): string {
  return value.length <= MAX_KEY_VALUE ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

function decide(accountLockedUntil: number, ipLockedUntil: number, now: number): LoginThrottleDecision {
  const until = Math.max(accountLockedUntil, ipLockedUntil);
  if (until <= now) return ALLOWED;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
    scope: accountLockedUntil >= ipLockedUntil ? 'account' : 'ip',
  };
}

function resolveRule(
  name: string,
  defaults: ThrottleRule,
  overrides: Partial<ThrottleRule> = {},
): ThrottleRule {
  const rule = { ...defaults, ...overrides };
  const bad = Object.entries(rule).filter(([, v]) => !Number.isSafeInteger(v) || v < 1);
  if (rule.maxLockSeconds < rule.lockSeconds) bad.push(['maxLockSeconds', rule.maxLockSeconds]);
  if (bad.length > 0) {
    throw new KwikError(
      'KWIK_AUTH_INVALID_OPTIONS',
      `Login throttle "${name}" rule: ${bad.map(([k, v]) => `${k} ${String(v)}`).join(', ')} invalid — ` +
        'each field must be a positive integer and maxLockSeconds ≥ lockSeconds.',
    );
  }
  return Object.freeze(rule);
}
