/**
 * Revoked sessions and API keys, checked on every authenticated request. `isRevoked` is
 * synchronous (an in-process lookup), so the check costs no I/O on the request path; drivers
 * keep that in-process view current (the Redis driver across every instance).
 */
export abstract class RevocationStore {
  /** True when `id` (a session id, or `key:<apiKeyId>`) was revoked and the entry has not lapsed. */
  abstract isRevoked(id: string): boolean;
  /** Revokes ids until `untilMs` (epoch ms: after it no token of theirs can be valid anyway). */
  abstract revoke(ids: readonly string[], untilMs: number): Promise<void>;
}

/** Drops lapsed entries of a revocation map (called on a timer, not per request). */
export function sweep(entries: Map<string, number>, now = Date.now()): void {
  for (const [id, until] of entries) if (until <= now) entries.delete(id);
}
