import { Logger, type LoggerService, type OnApplicationShutdown } from '@nestjs/common';
import { KwikError } from '@kwik/core';

/** Options of a {@link LastUsedBuffer}. */
export interface LastUsedBufferOptions {
  /**
   * Writes a batch of `id → last used at` (for example one bulk `UPDATE … FROM (VALUES …)`).
   * A rejection is logged and the batch is kept for the next attempt.
   */
  flush: (entries: Map<string, Date>) => Promise<void>;
  /**
   * How often buffered entries are written.
   * @default 60000
   */
  intervalMs?: number;
  /**
   * Most ids held in memory. Reaching it starts a flush early; if entries keep arriving while
   * writes fail, the least recently touched ids are dropped (last-used is advisory).
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Where flush failures and dropped entries are reported.
   * @default new Logger('KwikAuth')
   */
  logger?: Pick<LoggerService, 'error' | 'warn'>;
}

/**
 * Records when API keys (or anything else) were last used without a database write per request:
 * {@link LastUsedBuffer.touch} only updates memory, and a timer writes the batch every
 * `intervalMs`. Call {@link LastUsedBuffer.close} (or let Nest call `onApplicationShutdown`) to
 * write what is left.
 *
 * @example
 * const buffer = new LastUsedBuffer({
 *   flush: (entries) => apiKeys.bulkSetLastUsed(entries),
 * });
 * buffer.touch(apiKey.id); // on every authenticated request
 */
export class LastUsedBuffer implements OnApplicationShutdown {
  private pending = new Map<string, Date>();
  private inFlight: Promise<boolean> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly maxEntries: number;
  private readonly logger: Pick<LoggerService, 'error' | 'warn'>;

  constructor(private readonly options: LastUsedBufferOptions) {
    const { intervalMs = 60_000, maxEntries = 10_000 } = options;
    if (typeof options.flush !== 'function') {
      throw new KwikError('KWIK_AUTH_INVALID_OPTIONS', 'LastUsedBuffer needs a `flush(entries)` function.');
    }
    for (const [name, value] of Object.entries({ intervalMs, maxEntries })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new KwikError(
          'KWIK_AUTH_INVALID_OPTIONS',
          `LastUsedBuffer ${name} must be a positive integer, got ${String(value)}.`,
        );
      }
    }
    this.maxEntries = maxEntries;
    this.logger = options.logger ?? new Logger('KwikAuth');
    this.timer = setInterval(() => void this.flushNow(), intervalMs);
    // Buffered timestamps are not worth keeping a process alive for.
    this.timer.unref();
  }

  /** How many ids wait to be written. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Remembers that `id` was used at `at`; a later time replaces an earlier one, never the reverse.
   *
   * @param at - when it was used; defaults to now
   * @example
   * buffer.touch(apiKey.id);
   */
  touch(id: string, at: Date = new Date()): void {
    const known = this.pending.get(id);
    if (known !== undefined && known.getTime() >= at.getTime()) return;
    // Re-inserting keeps the Map in least-recently-touched-first order for the bound below.
    this.pending.delete(id);
    this.pending.set(id, at);
    if (this.pending.size < this.maxEntries) return;
    if (this.inFlight === null) void this.flushNow();
    else this.trim();
  }

  /**
   * Writes everything buffered now, waiting for a write already running. Resolves `true` when
   * the buffer was written (or empty), `false` when the write failed and the entries were kept.
   *
   * @example
   * await buffer.flushNow();
   */
  async flushNow(): Promise<boolean> {
    while (this.inFlight !== null) await this.inFlight;
    if (this.pending.size === 0) return true;
    this.inFlight = this.write();
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  /**
   * Stops the timer and writes what is left.
   *
   * @example
   * await buffer.close();
   */
  async close(): Promise<boolean> {
    clearInterval(this.timer);
    return this.flushNow();
  }

  /** Nest lifecycle hook: {@link LastUsedBuffer.close}. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async write(): Promise<boolean> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.options.flush(batch);
      return true;
    } catch (error) {
      this.logger.error(
        `Could not write last-used times of ${batch.size} ids; retrying on the next flush: ${messageOf(error)}`,
      );
      this.restore(batch);
      return false;
    }
  }

  /** Puts a failed batch back in front of what arrived meanwhile (newer times win). */
  private restore(batch: Map<string, Date>): void {
    const merged = new Map(batch);
    for (const [id, at] of this.pending) {
      const earlier = merged.get(id);
      merged.delete(id);
      merged.set(id, earlier !== undefined && earlier.getTime() > at.getTime() ? earlier : at);
    }
    this.pending = merged;
    this.trim();
  }

  private trim(): void {
    const excess = this.pending.size - this.maxEntries;
    if (excess <= 0) return;
    const ids = this.pending.keys();
    for (let i = 0; i < excess; i++) this.pending.delete(ids.next().value as string);
    this.logger.warn(`Last-used buffer is full (${this.maxEntries} ids): dropped the ${excess} oldest.`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
