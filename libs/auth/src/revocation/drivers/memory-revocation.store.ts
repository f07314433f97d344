import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { RevocationStore, sweep } from '../revocation.store.js';

/** One process's revocations (no Redis): right for a single instance and for tests. */
@Injectable()
export class MemoryRevocationStore extends RevocationStore implements OnModuleDestroy {
  private readonly entries = new Map<string, number>();
  private readonly timer = setInterval(() => sweep(this.entries), 60_000).unref();

  isRevoked(id: string): boolean {
    const until = this.entries.get(id);
    return until !== undefined && until > Date.now();
  }

  revoke(ids: readonly string[], untilMs: number): Promise<void> {
    for (const id of ids) this.entries.set(id, Math.max(untilMs, this.entries.get(id) ?? 0));
    return Promise.resolve();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
