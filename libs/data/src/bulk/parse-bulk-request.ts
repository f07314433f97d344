import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors, ProblemException, type ProblemFieldError } from '@kwik/core';
import type { BulkItemError, BulkOp, ParsedBulkRequest } from './bulk.types.js';

/** What a resource accepts in `POST /<resource>/bulk`. */
export interface BulkSpec<C extends object, U extends object> {
  create: Type<C> | undefined;
  update: Type<U> | undefined;
  maxItems: number;
  /** The arrays this resource accepts (an operation disabled on the resource is refused in bulk too). */
  allowed: ReadonlySet<BulkOp>;
}

const OPS: readonly BulkOp[] = ['create', 'update', 'delete'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHAPE = 'must be an object with "create", "update" and/or "delete" arrays';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates like Kwik's global pipe: whitelist, no unknown properties, transformed to the DTO class. */
async function validateDto<D extends object>(
  type: Type<D>,
  plain: Record<string, unknown>,
  field: string,
): Promise<{ dto: D; errors: ProblemFieldError[] }> {
  const dto = plainToInstance(type, plain);
  const errors = await validate(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return { dto, errors: flattenValidationErrors(errors, field) };
}

function shapeErrors(body: unknown, spec: BulkSpec<object, object>): ProblemFieldError[] {
  if (!isObject(body)) return [{ field: 'body', message: SHAPE }];
  const errors: ProblemFieldError[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!(OPS as string[]).includes(key)) errors.push({ field: key, message: 'is not an allowed field' });
    else if (!spec.allowed.has(key as BulkOp))
      errors.push({ field: key, message: `${key} is not allowed on this resource` });
    else if (!Array.isArray(value)) errors.push({ field: key, message: 'must be an array' });
  }
  return errors;
}

/**
 * Checks a bulk body: its shape, the item limit (before looking at any item), then every item (DTO
 * validation per item, UUIDs, duplicate ids). All problems of the request come back in one 400
 * validation problem whose `errors` carry `index` and `op`.
 *
 * @example
 * await parseBulkRequest({ create: [{ title: 'a' }], delete: [id] }, spec);
 */
export async function parseBulkRequest<C extends object, U extends object>(
  body: unknown,
  spec: BulkSpec<C, U>,
): Promise<ParsedBulkRequest<C, U>> {
  const shape = shapeErrors(body, spec as BulkSpec<object, object>);
  if (shape.length) throw ProblemException.validation(shape, `The bulk request ${SHAPE}.`);
  const arrays = body as Partial<Record<BulkOp, unknown[]>>;
  const total = OPS.reduce((n, op) => n + (arrays[op]?.length ?? 0), 0);
  if (total === 0) {
    const message = 'must hold at least one item in "create", "update" or "delete"';
    throw ProblemException.validation([{ field: 'body', message }], `The bulk request ${message}.`);
  }
  if (total > spec.maxItems) {
    const message = `holds ${total} items; at most ${spec.maxItems} (maxItems) are allowed in one request`;
    throw ProblemException.validation([{ field: 'body', message }], `The bulk request ${message}.`);
  }

  const errors: BulkItemError[] = [];
  const fail = (op: BulkOp, index: number, list: ProblemFieldError[]) =>
    list.forEach((e) => errors.push({ field: e.field, message: e.message, index, op }));
  const parsed: ParsedBulkRequest<C, U> = { create: [], update: [], delete: [] };

  for (const [index, item] of (arrays.create ?? []).entries()) {
    const field = `create[${index}]`;
    if (!isObject(item)) fail('create', index, [{ field, message: 'must be an object' }]);
    else {
      const { dto, errors: found } = await validateDto(spec.create!, item, field);
      fail('create', index, found);
      parsed.create.push(dto);
    }
  }

  const seenUpdates = new Set<string>();
  for (const [index, item] of (arrays.update ?? []).entries()) {
    const field = `update[${index}]`;
    if (!isObject(item)) {
      fail('update', index, [{ field, message: 'must be an object with an "id"' }]);
      continue;
    }
    const { id, ...fields } = item;
    if (typeof id !== 'string' || !UUID.test(id))
      fail('update', index, [{ field: `${field}.id`, message: 'id must be a UUID' }]);
    else if (seenUpdates.has(id.toLowerCase()))
      fail('update', index, [{ field: `${field}.id`, message: 'updates the same id as an earlier item' }]);
    else seenUpdates.add(id.toLowerCase());
    const { dto, errors: found } = await validateDto(spec.update!, fields, field);
    fail('update', index, found);
    parsed.update.push({ id: id as string, dto });
  }

  const seenDeletes = new Set<string>();
  for (const [index, id] of (arrays.delete ?? []).entries()) {
    const field = `delete[${index}]`;
    if (typeof id !== 'string' || !UUID.test(id))
      fail('delete', index, [{ field, message: 'must be a UUID' }]);
    else if (seenDeletes.has(id.toLowerCase()))
      fail('delete', index, [{ field, message: 'deletes the same id as an earlier item' }]);
    else seenDeletes.add(id.toLowerCase());
    parsed.delete.push(id as string);
  }

  if (errors.length) throw bulkRejected(errors);
  return parsed;
}

/** The 400 validation problem of a rejected bulk request: nothing was written. */
export function bulkRejected(errors: BulkItemError[], note = ''): ProblemException {
  const items = [...new Set(errors.map((e) => `${e.op}[${e.index}]`))];
  return ProblemException.validation(
    errors,
    `The bulk request was rejected and nothing was written: ${items.length} item${items.length === 1 ? '' : 's'} failed (${items.join(', ')})${note}.`,
  );
}
