import { Injectable } from '@nestjs/common';

/**
 * One dependency `/health/ready` checks. `check()` resolves when the dependency answers and
 * throws (or rejects) when it does not; the error message is shown in the 503 problem.
 */
export interface ReadinessCheck {
  /** Short name shown in the health report: `database`, `redis`. */
  name: string;
  check(signal: AbortSignal): Promise<unknown> | unknown;
  /** Per-check timeout in milliseconds. @default 2000 */
  timeoutMs?: number;
}

/**
 * Where libraries register what `/health/ready` must check, without core importing them.
 * The database library registers `database`; core registers `redis` when `REDIS_URL` is set.
 *
 * @example
 * constructor(registry: ReadinessRegistry) {
 *   registry.register({ name: 'search', check: () => this.client.ping() });
 * }
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private drainingSince: number | undefined;
  private isClosing = false;

  /** Adds a check; returns a function that removes it. A second check with the same name replaces the first. */
  register(check: ReadinessCheck): () => void {
    this.checks.set(check.name, check);
    return () => {
      if (this.checks.get(check.name) === check) this.checks.delete(check.name);
    };
  }

  list(): ReadinessCheck[] {
    return [...this.checks.values()];
  }

  /** Marks the app as shutting down: `/health/ready` answers 503 from now on. */
  markDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Marks the server as closing: requests still arriving on open connections get a 503 problem. */
  markClosing(): void {
    this.markDraining();
    this.isClosing = true;
  }

  get closing(): boolean {
    return this.isClosing;
  }
}
