import { Injectable } from '@nestjs/common';
import { AsyncSlot } from '@kwik/core';
import type { EntityManager } from 'typeorm';
import type { TransactionIsolation } from '../transaction.manager.js';

/** The transaction the current async call chain runs in. */
export interface ActiveTransaction {
  readonly manager: EntityManager;
  readonly isolation: TransactionIsolation;
  /** Callbacks to run once this transaction has committed (`TransactionManager.afterCommit`). */
  readonly afterCommit: (() => unknown)[];
}

/**
 * Which transaction the current async call chain is in. A slot of its own (not the request
 * context): `run()` scopes the transaction to the callback's call tree, so two transactions
 * started side by side in one request never see each other's EntityManager.
 */
@Injectable()
export class TransactionScope {
  private readonly storage = new AsyncSlot<ActiveTransaction>('transaction');

  /** The live transaction of this call chain; `undefined` outside one or once it has ended. */
  current(): ActiveTransaction | undefined {
    const tx = this.storage.get();
    const runner = tx?.manager.queryRunner;
    return runner && !runner.isReleased && runner.isTransactionActive ? tx : undefined;
  }

  run<T>(tx: ActiveTransaction, fn: () => T): T {
    return this.storage.run(tx, fn);
  }
}
