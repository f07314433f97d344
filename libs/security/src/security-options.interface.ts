import type { ExecutionContext } from '@nestjs/common';
import type { RateLimitStore } from './rate-limit/rate-limit.store.js';

/**
 * A rate-limit window: milliseconds (whole seconds, at least 1000), or a duration string
 * `'<n>s'`, `'<n>m'`, `'<n>h'`, `'<n>d'` (`'30s'`, `'1m'`, `'1h'`).
 */
export type RateLimitWindow = number | `${number}${'s' | 'm' | 'h' | 'd'}`;

/**
 * Whom a rate limit counts separately:
 * - `'ip'` — the client ip (`request.ip`; set `trustProxy` behind a proxy);
 * - `'user'` — the principal's `id` (`RequestContext.principal`), the ip when anonymous;
 * - `'apiKey'` — the principal's `apiKeyId`, the ip when there is none;
 * - a function returning the tracker of a request (any string; requests sharing it share the limit).
 */
export type RateLimitBy = 'ip' | 'user' | 'apiKey' | ((context: ExecutionContext) => string);

/** One rate-limit policy: at most `limit` requests in any sliding `window`, per tracker. */
export interface RateLimitPolicy {
  /** Requests allowed in any window (whole number ≥ 1). */
  limit: number;
  /** Length of the sliding window. */
  window: RateLimitWindow;
  /** Whom to count separately. @default 'user' (the principal's id, else the ip) */
  by?: RateLimitBy;
  /**
   * Policy name: shown in `RateLimit` / `RateLimit-Policy` and part of the Redis key
   * (letters, digits, `-`, `_`, `.`).
   * @default 'default' (`@RateLimit()`), 'anonymous' / 'authenticated' (the tiers)
   */
  name?: string;
}

/** Global rate limiting: two tiers applied to every route without `@RateLimit()` / `@SkipRateLimit()`. */
export interface RateLimitModuleOptions {
  /** `false` turns rate limiting off everywhere, `@RateLimit()` routes included. @default true */
  enabled?: boolean;
  /**
   * Tier of requests without a principal, counted per ip. Fields left out keep their default;
   * `false`: anonymous requests are only limited on routes with `@RateLimit()`.
   * @default { limit: 60, window: '1m', by: 'ip', name: 'anonymous' }
   */
  anonymous?: Partial<RateLimitPolicy> | false;
  /**
   * Tier of requests with a principal (set by the auth library), counted per user. Fields left
   * out keep their default; `false`: only `@RateLimit()` routes limit them.
   * @default { limit: 600, window: '1m', by: 'user', name: 'authenticated' }
   */
  authenticated?: Partial<RateLimitPolicy> | false;
  /**
   * Where counts live: `'auto'` uses Redis when the app configured it (`KwikModule` `redis.url` /
   * `REDIS_URL`, the shared `KWIK_REDIS` client) and memory otherwise; `'memory'` always counts
   * in this process; `'redis'` requires the shared client; or your own {@link RateLimitStore}
   * (e.g. `new RedisRateLimitStore(otherClient)`).
   * @default 'auto'
   */
  store?: 'auto' | 'memory' | 'redis' | RateLimitStore;
  /** Prefix of every key: `<keyPrefix><policy>:<route>:<tracker>`. @default 'kwik:rl:' */
  keyPrefix?: string;
  /**
   * When the store fails (Redis down, slow): `'open'` lets the request through, `'closed'`
   * answers 503 `rate-limit-unavailable`. Logged once per incident either way.
   * @default 'open'
   */
  onStoreError?: 'open' | 'closed';
  /** How long one check may take before it counts as a store failure, in ms. @default 1000 */
  storeTimeoutMs?: number;
  /** Route paths (prefixes of the route pattern) never limited. @default ['/health'] */
  excludePaths?: string[];
}

/** Content-Security-Policy settings. */
export interface ContentSecurityPolicyOptions {
  /**
   * Directives replacing Kwik's defaults one by one (`{ 'img-src': ["'self'", 'https://cdn.example.com'] }`);
   * `null` removes a directive. The defaults are `KWIK_CSP_DIRECTIVES`.
   * @default {}
   */
  directives?: Record<string, readonly string[] | null>;
  /** Sources appended to a directive (after `directives` applied): `{ 'connect-src': ['https://api.example.com'] }`. @default {} */
  extend?: Record<string, readonly string[]>;
  /** Send `Content-Security-Policy-Report-Only` instead (violations reported, nothing blocked). @default false */
  reportOnly?: boolean;
}

/** `Strict-Transport-Security` settings. */
export interface HstsOptions {
  /** `max-age` in seconds. @default 31536000 (one year) */
  maxAge?: number;
  /** @default true */
  includeSubDomains?: boolean;
  /** Only with `maxAge` ≥ one year and `includeSubDomains`. @default false */
  preload?: boolean;
}

/** Security headers, sent on every response by `helmet` (built once at boot). */
export interface SecurityHeadersOptions {
  /** `false` sends no CSP. @default Kwik's policy, which keeps the `/docs` UI working */
  contentSecurityPolicy?: ContentSecurityPolicyOptions | false;
  /** `false` sends no HSTS. @default { maxAge: 31536000, includeSubDomains: true, preload: false } */
  hsts?: HstsOptions | false;
  /** `X-Frame-Options` (the CSP's `frame-ancestors` follows it). @default 'deny' */
  frameOptions?: 'deny' | 'sameorigin' | false;
  /** `Referrer-Policy` value(s). @default 'no-referrer' */
  referrerPolicy?: string | string[] | false;
  /**
   * Raw `helmet` options merged over Kwik's (an escape hatch for headers not listed
   * here, e.g. `crossOriginResourcePolicy`).
   * @default {}
   */
  helmet?: Record<string, unknown>;
}

/** Cross-origin resource sharing (`@fastify/cors`). */
export interface SecurityCorsOptions {
  /**
   * Allowed origins (`https://app.example.com`, or `https://*.example.com` for any subdomain),
   * or `'*'` for any origin (not with `credentials`). An empty list allows none.
   * @default the `CORS_ORIGINS` environment variable (comma-separated), else none
   */
  origins?: readonly string[] | '*';
  /** Send `Access-Control-Allow-Credentials: true` (cookies, `Authorization` from browsers). @default false */
  credentials?: boolean;
  /** @default ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] */
  methods?: readonly string[];
  /** Request headers allowed in preflights. @default those the preflight asks for */
  allowedHeaders?: readonly string[];
  /** Response headers scripts may read. @default `DEFAULT_EXPOSED_HEADERS` (X-Request-Id, Link, X-Total-Count, ETag, RateLimit, RateLimit-Policy, Retry-After) */
  exposedHeaders?: readonly string[];
  /** How long browsers may cache a preflight, in seconds. @default 600 */
  maxAge?: number;
}

/** Options of `SecurityModule.forRoot()` / `forRootAsync()`. */
export interface SecurityModuleOptions {
  /** Security headers; `false` sends none. @default all on (see {@link SecurityHeadersOptions}) */
  headers?: SecurityHeadersOptions | false;
  /** CORS; `false` turns it off even when `CORS_ORIGINS` is set. @default from `CORS_ORIGINS`, else off */
  cors?: SecurityCorsOptions | false;
  /** Rate limiting; `false` is `{ enabled: false }`. @default on (see {@link RateLimitModuleOptions}) */
  rateLimit?: RateLimitModuleOptions | false;
  /**
   * Milliseconds a request may take from the moment it has been received (body parsed) until the
   * response; later, the client gets a 503 `request-timeout` problem and the late result is
   * discarded. `0` disables. Per route: `@RequestTimeout(ms)`.
   * @default 30000
   */
  requestTimeout?: number;
}
