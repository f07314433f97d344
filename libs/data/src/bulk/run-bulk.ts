import { ProblemException } from '@kwik/core';
import type { TransactionManager } from '@kwik/database';
import { DbFailureProblem, describeDbFailure } from '../crud/internal/db-failure.js';
import type { BulkItemError, BulkOp, CrudBulkResult, ParsedBulkRequest } from './bulk.types.js';
import { bulkRejected } from './parse-bulk-request.js';

/** The single-item writes a bulk request is made of (each joins the bulk transaction). */
export interface BulkWrites<C extends object, U extends object> {
  create(dto: C): Promise<unknown>;
  update(id: string, dto: U): Promise<unknown>;
  delete(id: string): Promise<void>;
}

interface ItemFailure {
  message: string;
  field?: string;
  /** The database refused a statement: the transaction is aborted, no further item can run. */
  aborted: boolean;
}

function itemFailure(error: unknown): ItemFailure | undefined {
  if (error instanceof DbFailureProblem)
    return { message: error.failure.message, field: error.failure.column, aborted: true };
  if (error instanceof ProblemException) {
    const { status, detail, errors } = error.problem;
    return { message: detail, field: status === 404 ? 'id' : errors?.[0]?.field, aborted: false };
  }
  const failure = describeDbFailure(error);
  return failure ? { message: failure.message, field: failure.column, aborted: true } : undefined;
}

/**
 * Runs a validated bulk request in one transaction — creates, then updates, then deletes, each in
 * request order — and commits only when every item succeeded. Items that fail without breaking the
 * transaction (an unknown id, a refused permission) are all reported; the first item the database
 * refuses ends the run, since PostgreSQL aborts the transaction there. Any failure → 400 problem
 * (`errors[]` with `index` and `op`), rolled back. Unexpected errors propagate (500), rolled back too.
 */
export function runBulk<C extends object, U extends object>(
  transactions: TransactionManager,
  request: ParsedBulkRequest<C, U>,
  writes: BulkWrites<C, U>,
): Promise<CrudBulkResult> {
  return transactions.run(async () => {
    const result: CrudBulkResult = { created: [], updated: [], deleted: [] };
    const errors: BulkItemError[] = [];
    let aborted = false;
    const attempt = async (op: BulkOp, index: number, work: () => Promise<void>): Promise<void> => {
      if (aborted) return;
      try {
        await work();
      } catch (error) {
        const failure = itemFailure(error);
        if (!failure) throw error;
        const item = `${op}[${index}]`;
        const field =
          failure.field === undefined || (op === 'delete' && failure.field === 'id')
            ? item
            : `${item}.${failure.field}`;
        errors.push({ field, message: failure.message, index, op });
        aborted = failure.aborted;
      }
    };
    for (const [index, dto] of request.create.entries())
      await attempt('create', index, async () => void result.created.push(await writes.create(dto)));
    for (const [index, { id, dto }] of request.update.entries())
      await attempt('update', index, async () => void result.updated.push(await writes.update(id, dto)));
    for (const [index, id] of request.delete.entries())
      await attempt('delete', index, async () => {
        await writes.delete(id);
        result.deleted.push(id);
      });
    if (errors.length)
      throw bulkRejected(
        errors,
        aborted ? '; the items after the one the database refused were not tried' : '',
      );
    return result;
  });
}
