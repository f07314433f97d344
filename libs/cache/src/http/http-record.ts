import { hash } from 'node:crypto';

/** A response as stored: what a hit replays byte for byte. */
export interface HttpRecord {
  readonly status: number;
  /** Headers the handler and the serialization set (not the per-request ones the hooks set). */
  readonly headers: readonly (readonly [string, string | string[]])[];
  /**
   * The body's bytes as sent (a text body as its UTF-8 bytes: a Buffer lives outside the JS heap, so
   * stored pages add nothing for the garbage collector to trace). `''` for an empty body.
   */
  readonly body: string | Buffer;
  readonly etag: string;
}

/** Headers never stored: per-connection, recomputed on send, or the cache's own. */
const NEVER_STORED = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
  'set-cookie',
  'x-cache',
  'x-request-id',
  // set per request by the rate limiter's guard (which runs after the snapshot is taken)
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);

/** Statuses whose responses may be stored (2xx but 206 partial content). */
export function storableStatus(status: number): boolean {
  return status >= 200 && status < 300 && status !== 206;
}

/** A strong ETag over the body bytes (a string counts as its UTF-8 bytes). */
export function bodyEtag(body: string | Buffer): string {
  return `"${hash('sha1', body, 'base64url')}"`;
}

/**
 * The headers of `headers` worth storing: those not present (with the same value) before the
 * handler ran, minus the never-stored ones.
 */
export function storedHeaders(
  headers: Record<string, unknown>,
  before: Record<string, unknown>,
): [string, string | string[]][] {
  const kept: [string, string | string[]][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NEVER_STORED.has(name)) continue;
    if (name in before && before[name] === value) continue;
    kept.push([name, Array.isArray(value) ? value.map(String) : String(value)]);
  }
  return kept;
}

/** True when an `If-None-Match` request header matches `etag` (weak comparison, `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}
