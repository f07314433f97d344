import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCrudApp, type CrudUnderTest } from './fixtures/crud-app.js';

interface TaskBody {
  id: string;
  title: string;
  priority: number;
  version: number;
}

interface BulkBody {
  created: TaskBody[];
  updated: TaskBody[];
  deleted: string[];
}

interface Ctx {
  keep: TaskBody;
  drop: TaskBody;
  locked: TaskBody;
  other: TaskBody;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors: { field: string; message: string; index?: number; op?: string }[];
}

describe('CRUD bulk writes: one transaction, all or nothing', () => {
  let t: CrudUnderTest;
  let keep: TaskBody;
  let drop: TaskBody;
  let n = 0;
  const title = () => `bulk ${++n}`;
  const task = async (name: string) => (await t.request<TaskBody>('POST', '/tasks', { title: name })).body;

  beforeAll(async () => {
    t = await startCrudApp('data_crud_bulk');
  });
  afterAll(() => t?.close());

  beforeEach(async () => {
    keep = await task(title());
    drop = await task(title());
  });

  const versions = async () =>
    (
      await t.sql.query<{ id: string; version: number }>(
        'SELECT id, version FROM crud_tasks WHERE id = ANY($1)',
        [[keep.id, drop.id]],
      )
    ).rows
      .map((r) => `${r.id === keep.id ? 'keep' : 'drop'}@${r.version}`)
      .sort();

  it('creates, updates and deletes, answering with all three arrays', async () => {
    const before = await t.count();
    const { res, body } = await t.request<BulkBody>('POST', '/tasks/bulk', {
      create: [{ title: 'bulk new a' }, { title: 'bulk new b', priority: 2 }],
      update: [{ id: keep.id, priority: 4 }],
      delete: [drop.id],
    });
    expect({ status: res.status, body }).toMatchObject({ status: 200 });
    expect(body.created.map((c) => [c.title, c.priority, c.version])).toEqual([
      ['bulk new a', 0, 1],
      ['bulk new b', 2, 1],
    ]);
    expect(body.updated).toEqual([expect.objectContaining({ id: keep.id, priority: 4, version: 2 })]);
    expect(body.deleted).toEqual([drop.id]);
    expect(await t.count()).toBe(before + 1);
    expect(await versions()).toEqual(['keep@2']);
  });

  // Every array holds two valid items; the one at index 2 of `op` fails: nothing may be written.
  it.each<[string, 'create' | 'update' | 'delete', (c: Ctx) => unknown, string]>([
    ['an invalid create', 'create', () => ({ title: '' }), 'create[2].title'],
    ['an unknown property', 'create', () => ({ title: title(), secret: true }), 'create[2].secret'],
    ['a unique violation', 'create', (c) => ({ title: c.keep.title }), 'create[2].title'],
    ['an unknown owner', 'create', () => ({ title: title(), ownerId: randomUUID() }), 'create[2].ownerId'],
    ['an unknown id to update', 'update', () => ({ id: randomUUID(), done: true }), 'update[2].id'],
    ['an id to update that is no UUID', 'update', () => ({ id: 7 }), 'update[2].id'],
    ['an unknown id to delete', 'delete', () => randomUUID(), 'delete[2]'],
    ['a duplicate id to delete', 'delete', (c) => c.drop.id, 'delete[2]'],
    ['a delete the resource refuses (403)', 'delete', (c) => c.locked.id, 'delete[2]'],
  ])('%s at index 2 of %s → 400 naming it, nothing written', async (_name, op, failing, field) => {
    const c: Ctx = { keep, drop, locked: await task(`locked ${title()}`), other: await task(title()) };
    const spare = await task(title());
    const body = {
      create: [{ title: title() }, { title: title() }],
      update: [
        { id: keep.id, priority: 9 },
        { id: c.other.id, priority: 8 },
      ],
      delete: [drop.id, spare.id] as unknown[],
    };
    (body[op] as unknown[]).push(failing(c));
    const before = await t.count();

    const { res, body: problem } = await t.request<Problem>('POST', '/tasks/bulk', body);
    expect({ status: res.status, type: problem.type }).toEqual({
      status: 400,
      type: 'https://kwik.dev/problems/validation-error',
    });
    expect(problem.errors).toEqual([expect.objectContaining({ field, index: 2, op })]);
    expect(problem.detail).toContain('nothing was written');
    expect(await t.count()).toBe(before);
    expect(await versions()).toEqual(['drop@1', 'keep@1']);
  });

  it('reports every item that fails validation at once', async () => {
    const { res, body } = await t.request<Problem>('POST', '/tasks/bulk', {
      create: [{ title: '' }, { title: 'fine' }, { priority: 99 }],
      delete: ['nope'],
    });
    expect(res.status).toBe(400);
    expect([...new Set(body.errors.map((e) => e.field.split('.')[0]))]).toEqual([
      'create[0]',
      'create[2]',
      'delete[0]',
    ]);
    expect(body.errors.filter((e) => e.index === 2).map((e) => e.field)).toEqual(
      expect.arrayContaining(['create[2].title', 'create[2].priority']),
    );
  });

  it('refuses more than bulk.maxItems items before touching any', async () => {
    const before = await t.count();
    const create = Array.from({ length: 9 }, () => ({ title: title() }));
    const { res, body } = await t.request<Problem>('POST', '/tasks/bulk', {
      create,
      delete: [drop.id, keep.id],
    });
    expect(res.status).toBe(400);
    expect(body.detail).toMatch(/holds 11 items; at most 10/);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    expect(await t.count()).toBe(before);
  });

  it.each([
    ['an array', [], 'body'],
    ['a string', 'create', 'body'],
    ['an empty object', {}, 'body'],
    ['empty arrays', { create: [], update: [], delete: [] }, 'body'],
    ['a non-array', { create: { title: 'x' } }, 'create'],
    ['an unknown key', { upsert: [{ title: 'x' }] }, 'upsert'],
    ['a non-object item', { create: [42] }, 'create[0]'],
    ['a null update', { update: [null] }, 'update[0]'],
  ])('%s → 400 naming its field, never a 500', async (_name, body, field) => {
    const { res, body: problem } = await t.request<Problem>('POST', '/tasks/bulk', body);
    expect(res.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it.each([
    ['an empty JSON body', undefined, { 'content-type': 'application/json' }],
    ['no body at all', undefined, {}],
  ])('%s → 400', async (_name, body, headers) => {
    const { res } = await t.request('POST', '/tasks/bulk', body, headers);
    expect(res.status).toBe(400);
  });

  it('applies the global scope to every item', async () => {
    const foreign = (
      await t.request<TaskBody>('POST', '/tasks', { title: title() }, { 'x-tenant': 'globex' })
    ).body;
    const { res, body } = await t.request<Problem | BulkBody>(
      'POST',
      '/tasks/bulk',
      { create: [{ title: title() }], delete: [foreign.id] },
      { 'x-tenant': 'acme' },
    );
    expect(res.status).toBe(400);
    expect((body as Problem).errors).toEqual([expect.objectContaining({ field: 'delete[0]', op: 'delete' })]);
    const created = await t.request<BulkBody>(
      'POST',
      '/tasks/bulk',
      { create: [{ title: title() }] },
      { 'x-tenant': 'acme' },
    );
    expect(created.body.created[0]).toMatchObject({ tenantId: 'acme' });
  });
});
