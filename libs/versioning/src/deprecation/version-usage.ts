import { Injectable } from '@nestjs/common';

/** Counts of requests served per API version, and per deprecated route. */
export interface VersionUsageSnapshot {
  /** Requests per version served (refused ones are not counted). */
  readonly versions: Readonly<Record<string, number>>;
  /** Requests per deprecated route (`GET /api/legacy`), whatever their version. */
  readonly deprecatedRoutes: Readonly<Record<string, number>>;
  /** Requests refused with a 406 (unsupported version, unknown vendor, malformed header). */
  readonly refused: number;
}

/**
 * How much each API version (and each deprecated route) is still used, since the process started:
 * what to look at before a sunset. Every completion log line also carries `apiVersion`.
 *
 * @example
 * constructor(private readonly usage: VersionUsage) {}
 * this.usage.snapshot(); // { versions: { '1': 120, '2': 3400 }, deprecatedRoutes: {}, refused: 2 }
 */
@Injectable()
export class VersionUsage {
  private readonly versions = new Map<string, number>();
  private readonly routes = new Map<string, number>();
  private refusals = 0;

  /** @internal */
  served(version: string): void {
    this.versions.set(version, (this.versions.get(version) ?? 0) + 1);
  }

  /** @internal */
  deprecatedRoute(route: string): void {
    this.routes.set(route, (this.routes.get(route) ?? 0) + 1);
  }

  /** @internal */
  refused(): void {
    this.refusals++;
  }

  snapshot(): VersionUsageSnapshot {
    return {
      versions: Object.fromEntries(this.versions),
      deprecatedRoutes: Object.fromEntries(this.routes),
      refused: this.refusals,
    };
  }
}
