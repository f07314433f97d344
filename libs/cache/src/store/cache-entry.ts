/**
 * One stored value with its freshness and the versions of its tags when it was computed. An entry
 * whose tag versions differ from the current ones was invalidated (`@CacheEvict`, `invalidate()`).
 * Values are plain data and Buffers (an HTTP response record, or a method's serialized result).
 */
export interface CacheEntry<V = unknown> {
  readonly value: V;
  /** Epoch ms until which the entry is fresh. */
  readonly freshUntil: number;
  /** Epoch ms until which a stale entry may still be served (= `freshUntil` without SWR). */
  readonly staleUntil: number;
  /** Tag → version when the value was computed. */
  readonly tags: Readonly<Record<string, number>>;
}

/** Tag name → current version (0 for a tag never invalidated). */
export type TagVersions = Readonly<Record<string, number>>;

/** True when every tag of the entry still has the version it was computed with. */
export function tagsCurrent(entry: CacheEntry, versions: TagVersions): boolean {
  for (const tag in entry.tags) if ((versions[tag] ?? 0) !== entry.tags[tag]) return false;
  return true;
}
