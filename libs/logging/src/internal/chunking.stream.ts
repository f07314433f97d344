import { register } from 'on-exit-leak-free';
import type { DestinationStream } from 'pino';

/** The part of sonic-boom (pino.destination) this stream drives. */
export interface FlushableStream extends DestinationStream {
  flush(): void;
  flushSync(): void;
}

/**
 * Collects lines and hands them to the destination in chunks of about `chunkBytes`: the
 * destination's per-write bookkeeping (~2 µs in sonic-boom) is paid once per chunk, not once per
 * line, and nothing is scheduled per line (a timer or immediate would itself cost async-hook
 * work on every request). Order is kept: every line goes through the same queue. The owner
 * calls `flush()` periodically; lines still queued are written synchronously at process exit.
 */
export class ChunkingStream implements FlushableStream {
  private pending: string[] = [];
  private bytes = 0;

  constructor(
    private readonly target: FlushableStream,
    private readonly chunkBytes = 4096,
  ) {
    register(this, (self) => self.flushSync());
  }

  write(line: string): void {
    this.pending.push(line);
    this.bytes += line.length;
    if (this.bytes >= this.chunkBytes) this.drain();
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
    if (this.pending.length === 0) return;
    this.bytes = 0;
    const chunk = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.target.write(chunk);
  }
}
