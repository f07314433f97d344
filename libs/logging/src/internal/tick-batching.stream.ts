import { register } from 'on-exit-leak-free';
import type { DestinationStream } from 'pino';

/** The part of sonic-boom (pino.destination) this stream drives. */
export interface FlushableStream extends DestinationStream {
  flush(): void;
  flushSync(): void;
}

/**
 * Collects the lines written during one event-loop turn and hands them to the destination as
 * one chunk at the end of the turn (`setImmediate`). Under load many requests finish per turn,
 * so the destination's per-write bookkeeping (~2 µs in sonic-boom) is paid once per turn, not
 * once per line. Order is kept: every line goes through the same queue. Lines still queued are
 * written synchronously when the process exits.
 */
export class TickBatchingStream implements FlushableStream {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly target: FlushableStream) {
    register(this, (self) => self.flushSync());
  }

  write(line: string): void {
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  flush(): void {
    this.drain();
    this.target.flush();
  }

  flushSync(): void {
    this.drain();
    this.target.flushSync();
  }

  private drain(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.target.write(chunk);
  }
}
