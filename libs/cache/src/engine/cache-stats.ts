import { Injectable } from '@nestjs/common';

/** How one lookup was answered. */
export type CacheOutcome = 'hit' | 'miss' | 'stale' | 'bypass';

/** Counters of one cached route or method. */
export interface CacheCounters {
  hits: number;
  misses: number;
  stale: number;
  bypass: number;
}

const FIELD: Record<CacheOutcome, keyof CacheCounters> = {
  hit: 'hits',
  miss: 'misses',
  stale: 'stale',
  bypass: 'bypass',
};

/**
 * Hit / miss / stale / bypass counters per cached route (`GET /api/posts`) and method
 * (`PostsService.find`), since the process started. The metrics library reads them later; apps can
 * expose them today.
 *
 * @example
 * constructor(private readonly stats: CacheStats) {}
 * @Get('cache-stats') stats() { return this.stats.snapshot(); }
 */
@Injectable()
export class CacheStats {
  private readonly counters = new Map<string, CacheCounters>();

  /** Counts one lookup of `name`. */
  record(name: string, outcome: CacheOutcome): void {
    let counters = this.counters.get(name);
    if (counters === undefined) {
      counters = { hits: 0, misses: 0, stale: 0, bypass: 0 };
      this.counters.set(name, counters);
    }
    counters[FIELD[outcome]]++;
  }

  /** The counters of one route or method (zeros when it was never looked up). */
  of(name: string): CacheCounters {
    return { ...(this.counters.get(name) ?? { hits: 0, misses: 0, stale: 0, bypass: 0 }) };
  }

  /** Every route's and method's counters, plus the totals. */
  snapshot(): { total: CacheCounters; byName: Record<string, CacheCounters> } {
    const total: CacheCounters = { hits: 0, misses: 0, stale: 0, bypass: 0 };
    const byName: Record<string, CacheCounters> = {};
    for (const [name, counters] of this.counters) {
      byName[name] = { ...counters };
      for (const field of Object.keys(total) as (keyof CacheCounters)[]) total[field] += counters[field];
    }
    return { total, byName };
  }
}
