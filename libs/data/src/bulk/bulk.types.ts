import type { ProblemFieldError } from '@kwik/core';

/** The write a bulk item asks for. */
export type BulkOp = 'create' | 'update' | 'delete';

/** One failed item of a bulk request, as listed in the 400 problem's `errors`. */
export interface BulkItemError extends ProblemFieldError {
  /** Index of the item in its array. */
  index: number;
  /** The array it is in. */
  op: BulkOp;
}

/** A bulk request whose shape and items passed validation. */
export interface ParsedBulkRequest<C extends object, U extends object> {
  create: C[];
  update: { id: string; dto: U }[];
  delete: string[];
}

/**
 * The body `POST /<resource>/bulk` answers with (200): the created and updated items as the
 * resource renders them, and the deleted ids, each in request order.
 */
export interface CrudBulkResult {
  created: unknown[];
  updated: unknown[];
  deleted: string[];
}
