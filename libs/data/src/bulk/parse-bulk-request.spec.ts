import { ProblemException } from '@kwik/core';
import { IsString, MinLength } from 'class-validator';
import { describe, expect, it } from 'vitest';
import type { BulkOp } from './bulk.types.js';
import { parseBulkRequest, type BulkSpec } from './parse-bulk-request.js';

class CreateDto {
  @IsString()
  @MinLength(1)
  title!: string;
}

class UpdateDto {
  @IsString()
  title?: string;
}

const ID = '0b6f3f4e-7c4d-4f5e-9a1b-2c3d4e5f6a7b';
const spec = (
  allowed: BulkOp[] = ['create', 'update', 'delete'],
  maxItems = 3,
): BulkSpec<CreateDto, UpdateDto> => ({
  create: CreateDto,
  update: UpdateDto,
  maxItems,
  allowed: new Set(allowed),
});

async function problemOf(body: unknown, s = spec()): Promise<ProblemException['problem']> {
  try {
    await parseBulkRequest(body, s);
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('parseBulkRequest', () => {
  it('returns DTO instances, ids and delete ids', async () => {
    const parsed = await parseBulkRequest(
      { create: [{ title: 'a' }], update: [{ id: ID, title: 'b' }], delete: [ID] },
      spec(),
    );
    expect(parsed.create[0]).toBeInstanceOf(CreateDto);
    expect(parsed.update).toEqual([{ id: ID, dto: expect.any(UpdateDto) }]);
    expect(parsed.update[0]!.dto.title).toBe('b');
    expect(parsed.delete).toEqual([ID]);
  });

  it.each<[string, unknown, BulkOp[], string]>([
    ['a disabled array', { delete: [ID] }, ['create', 'update'], 'delete'],
    ['an unknown key', { upsert: [] }, ['create'], 'upsert'],
    ['a null body', null, ['create'], 'body'],
    ['an update without id', { update: [{ title: 'x' }] }, ['update'], 'update[0].id'],
    ['an update with an unknown field', { update: [{ id: ID, nope: 1 }] }, ['update'], 'update[0].nope'],
    ['a duplicate update', { update: [{ id: ID }, { id: ID.toUpperCase() }] }, ['update'], 'update[1].id'],
    ['a delete that is no string', { delete: [{ id: ID }] }, ['delete'], 'delete[0]'],
  ])('%s → 400 naming %s', async (_name, body, allowed, field) => {
    const problem = await problemOf(body, spec(allowed));
    expect(problem.status).toBe(400);
    expect(problem.errors!.map((e) => e.field)).toContain(field);
  });

  it('checks the limit before looking at any item', async () => {
    const problem = await problemOf({ create: [1, 2], delete: [3, 4] });
    expect(problem.errors).toEqual([{ field: 'body', message: expect.stringContaining('at most 3') }]);
  });

  it('tags item errors with index and op', async () => {
    const problem = await problemOf({ create: [{ title: 'ok' }, { title: '' }] });
    expect(problem.errors).toEqual([
      { field: 'create[1].title', index: 1, op: 'create', message: expect.any(String) },
    ]);
    expect(problem.detail).toContain('create[1]');
  });
});
