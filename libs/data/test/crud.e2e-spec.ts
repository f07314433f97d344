import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrudApp, type CrudUnderTest } from './fixtures/crud-app.js';

interface TaskBody {
  id: string;
  title: string;
  done: boolean;
  priority: number;
  tenantId: string | null;
  owner: { email: string } | null;
  version: number;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

const fields = (body: unknown) => ((body as Problem).errors ?? []).map((e) => e.field);

describe('CRUD resource over HTTP: item routes, validation, ETags, preconditions', () => {
  let t: CrudUnderTest;
  let n = 0;
  const create = async (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const { res, body } = await t.request<TaskBody>(
      'POST',
      '/tasks',
      { title: `task ${++n}`, ...extra },
      headers,
    );
    expect({ status: res.status, body }).toMatchObject({ status: 201 });
    return body;
  };
  const version = async (id: string) =>
    (await t.sql.query<{ version: number }>('SELECT version FROM crud_tasks WHERE id = $1', [id])).rows[0]
      ?.version;

  beforeAll(async () => {
    t = await startCrudApp('data_crud');
  });
  afterAll(() => t?.close());

  it('creates (201, Location, ETag), reads, patches and deletes an item', async () => {
    const { rows } = await t.sql.query<{ id: string }>(
      `INSERT INTO crud_owners (email, version) VALUES ('ann@acme.test', 1) RETURNING id`,
    );
    const created = await t.request<TaskBody>('POST', '/tasks', {
      title: 'write docs',
      ownerId: rows[0]!.id,
    });
    expect(created.res.status).toBe(201);
    const task = created.body;
    expect(created.res.headers.get('location')).toBe(`/tasks/${task.id}`);
    expect(created.res.headers.get('etag')).toBe('"1"');
    expect(task).toMatchObject({
      title: 'write docs',
      done: false,
      priority: 0,
      version: 1,
      owner: { email: 'ann@acme.test' },
    });

    const read = await t.request<TaskBody>('GET', `/tasks/${task.id}`);
    expect(read.res.status).toBe(200);
    expect(read.res.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual(task);

    const patched = await t.request<TaskBody>('PATCH', `/tasks/${task.id}`, { done: true, priority: 3 });
    expect(patched.res.status).toBe(200);
    expect(patched.res.headers.get('etag')).toBe('"2"');
    expect(patched.body).toMatchObject({ title: 'write docs', done: true, priority: 3, version: 2 });

    const unchanged = await t.request<TaskBody>('PATCH', `/tasks/${task.id}`, { done: true });
    expect(unchanged.body.version).toBe(2); // nothing changed: no write, no new version

    const deleted = await t.request('DELETE', `/tasks/${task.id}`);
    expect(deleted.res.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const gone = await t.request<Problem>('GET', `/tasks/${task.id}`);
    expect(gone.res.status).toBe(404);
    expect(gone.body).toMatchObject({
      type: 'https://kwik.dev/problems/not-found',
      detail: `Task ${task.id} does not exist`,
    });
    expect((await t.request('DELETE', `/tasks/${task.id}`)).res.status).toBe(404);
    expect((await t.request('PATCH', `/tasks/${task.id}`, { done: false })).res.status).toBe(404);
  });

  it('lists through the shape', async () => {
    await create({ title: 'list me', priority: 9 });
    const { res, body } = await t.request<{ data: { title: string }[] }>(
      'GET',
      '/tasks?filter[priority]=9&fields=title',
    );
    expect(res.status).toBe(200);
    expect(body.data).toEqual([{ title: 'list me' }]);
    expect((await t.request('GET', '/tasks?sort=done')).res.status).toBe(400);
  });

  it.each([
    ['POST', '/tasks', {}, ['title']],
    ['POST', '/tasks', { title: 'x', secret: 1 }, ['secret']],
    [
      'POST',
      '/tasks',
      { title: '', priority: 11, done: 'yes', ownerId: 'nope' },
      ['done', 'ownerId', 'priority', 'title'],
    ],
    [
      'POST',
      '/tasks',
      { title: 'x', id: '6d7f3b7e-4c1c-4e59-9a3c-1f2a3b4c5d6e', version: 9 },
      ['id', 'version'],
    ],
    ['PATCH', '/tasks/:id', { priority: 'high' }, ['priority']],
    ['PATCH', '/tasks/:id', { tenantId: 'other' }, ['tenantId']],
  ])('%s %s %j → 400 naming %j, nothing written', async (method, path, body, expected) => {
    const task = await create();
    const before = await t.count();
    const { res, body: problem } = await t.request<Problem>(method, path.replace(':id', task.id), body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect([...new Set(fields(problem))].sort()).toEqual(expected);
    expect(await t.count()).toBe(before);
    expect(await version(task.id)).toBe(1);
  });

  it.each([['GET'], ['PATCH'], ['DELETE']])('%s /tasks/not-a-uuid → 400 naming id', async (method) => {
    const { res, body } = await t.request<Problem>(
      method,
      '/tasks/not-a-uuid',
      method === 'PATCH' ? {} : undefined,
    );
    expect(res.status).toBe(400);
    expect(fields(body)).toEqual(['id']);
  });

  it('locks the row of an entity with a camelCase alias (taskOwner) for PATCH and DELETE', async () => {
    const created = await t.request<TaskBody>('POST', '/owners', { email: 'bo@acme.test' });
    expect(created.res.status).toBe(201);
    const url = `/owners/${created.body.id}`;
    const patched = await t.request<{ email: string }>(
      'PATCH',
      url,
      { email: 'bob@acme.test' },
      { 'if-match': '"1"' },
    );
    expect({ status: patched.res.status, email: patched.body.email }).toEqual({
      status: 200,
      email: 'bob@acme.test',
    });
    expect((await t.request('DELETE', url, undefined, { 'if-match': '"2"' })).res.status).toBe(204);
  });

  it('a unique violation is a 409 conflict, not a 500', async () => {
    await create({ title: 'only once' });
    const { res, body } = await t.request<Problem>('POST', '/tasks', { title: 'only once' });
    expect(res.status).toBe(409);
    expect(body.type).toBe('https://kwik.dev/problems/conflict');
  });

  it.each([
    ['"1"', 304],
    ['W/"1"', 304],
    ['"0", "1"', 304],
    ['*', 304],
    ['"2"', 200],
  ])('GET with If-None-Match %s → %i', async (header, status) => {
    const task = await create();
    const { res, body } = await t.request('GET', `/tasks/${task.id}`, undefined, { 'if-none-match': header });
    expect(res.status).toBe(status);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(body === undefined).toBe(status === 304);
  });

  // status, then what follows: the problem kind or field, the ETag sent back, the row's version after
  const PRECONDITION = 'https://kwik.dev/problems/precondition-failed';
  it.each([
    ['PATCH', '"2"', 412, PRECONDITION, '"1"', 1],
    ['PATCH', 'W/"1"', 412, PRECONDITION, '"1"', 1],
    ['PATCH', '"1"', 200, undefined, '"2"', 2],
    ['PATCH', '*', 200, undefined, '"2"', 2],
    ['PATCH', '1', 400, 'If-Match', null, 1],
    ['DELETE', '"7"', 412, PRECONDITION, '"1"', 1],
    ['DELETE', '"1"', 204, undefined, null, undefined],
    ['DELETE', 'nonsense', 400, 'If-Match', null, 1],
  ])('%s with If-Match %s → %i', async (method, header, status, problem, etag, after) => {
    const task = await create();
    const sent = method === 'PATCH' ? { priority: 5 } : undefined;
    const { res, body } = await t.request<Problem>(method, `/tasks/${task.id}`, sent, { 'if-match': header });
    expect({
      status: res.status,
      problem: status === 400 ? fields(body)[0] : status === 412 ? body.type : undefined,
      etag: res.headers.get('etag'),
      after: await version(task.id),
    }).toEqual({ status, problem, etag, after });
  });

  it('a stale If-Match leaves the row unchanged', async () => {
    const task = await create({ priority: 1 });
    await t.request('PATCH', `/tasks/${task.id}`, { priority: 2 });
    const stale = await t.request('PATCH', `/tasks/${task.id}`, { priority: 7 }, { 'if-match': '"1"' });
    expect(stale.res.status).toBe(412);
    const { rows } = await t.sql.query('SELECT priority, version FROM crud_tasks WHERE id = $1', [task.id]);
    expect(rows[0]).toEqual({ priority: 2, version: 2 });
  });

  it('of concurrent PATCHes with the same If-Match exactly one wins, the others get 412', async () => {
    const task = await create();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((p) =>
        t.request('PATCH', `/tasks/${task.id}`, { priority: p }, { 'if-match': '"1"' }),
      ),
    );
    const statuses = results.map((r) => r.res.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412]);
    expect(await version(task.id)).toBe(2);
  });

  it('concurrent PATCHes without If-Match all apply, one after the other', async () => {
    const task = await create();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((p) => t.request('PATCH', `/tasks/${task.id}`, { priority: p })),
    );
    expect(results.map((r) => r.res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await version(task.id)).toBe(6);
  });

  it('an overridden handler keeps its route and runs the override', async () => {
    const task = await create();
    const { res, body } = await t.request<TaskBody>('GET', `/tasks/${task.id}`);
    expect(res.headers.get('x-overridden')).toBe('get');
    expect(body.id).toBe(task.id);
    expect((await t.request('GET', '/tasks/not-a-uuid')).res.status).toBe(400); // the id pipe came along

    const patched = await t.request<TaskBody>('PATCH', `/tasks/${task.id}`, { priority: 6 });
    expect(patched.res.headers.get('x-overridden')).toBe('update');
    expect(patched.body.priority).toBe(6);
    const invalid = await t.request<Problem>('PATCH', `/tasks/${task.id}`, { priority: 'x', nope: 1 });
    expect([...new Set(fields(invalid.body))].sort()).toEqual(['nope', 'priority']);

    const scoped = await t.request<TaskBody>('GET', `/scoped-tasks/${task.id}`);
    expect([scoped.res.status, scoped.res.headers.get('x-overridden')]).toEqual([200, 'scoped']);
  });

  it('the protected authorize hook refuses with its problem', async () => {
    const task = await create({ title: 'locked forever' });
    expect((await t.request('DELETE', `/tasks/${task.id}`)).res.status).toBe(403);
    expect(await version(task.id)).toBe(1);
  });

  it.each([
    ['POST', '/readonly-tasks', {}],
    ['PATCH', '/readonly-tasks/:id', {}],
    ['DELETE', '/readonly-tasks/:id', undefined],
    ['POST', '/readonly-tasks/bulk', { delete: [] }],
  ])('a disabled operation has no route: %s %s → 404', async (method, path, body) => {
    const task = await create();
    const { res } = await t.request(method, path.replace(':id', task.id), body);
    expect(res.status).toBe(404);
    expect(await version(task.id)).toBe(1);
    expect((await t.request('GET', `/readonly-tasks/${task.id}`)).res.status).toBe(200);
  });

  it('a global CrudHooks scope hides the rows of another tenant', async () => {
    const mine = await create({}, { 'x-tenant': 'acme' });
    const theirs = await create({}, { 'x-tenant': 'globex' });
    expect(mine.tenantId).toBe('acme');
    const acme = { 'x-tenant': 'acme' };
    expect((await t.request('GET', `/tasks/${mine.id}`, undefined, acme)).res.status).toBe(200);
    expect((await t.request('GET', `/tasks/${theirs.id}`, undefined, acme)).res.status).toBe(404);
    expect((await t.request('PATCH', `/tasks/${theirs.id}`, { done: true }, acme)).res.status).toBe(404);
    expect((await t.request('DELETE', `/tasks/${theirs.id}`, undefined, acme)).res.status).toBe(404);
    const list = await t.request<{ data: { id: string }[] }>(
      'GET',
      '/tasks?limit=100&fields=id',
      undefined,
      acme,
    );
    expect(list.body.data.map((r) => r.id)).toEqual([mine.id]);
    expect(await version(theirs.id)).toBe(1);
  });

  it('documents every route with its DTOs and the list parameters', async () => {
    const { body: doc } = await t.request<{
      paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown }>>;
    }>('GET', '/docs/json');
    expect(Object.keys(doc.paths['/tasks']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/tasks/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths['/readonly-tasks/{id}']!)).toEqual(['get']);
    expect(doc.paths['/tasks/bulk']?.post?.requestBody).toBeDefined();
    expect(JSON.stringify(doc.paths['/tasks']!.post!.requestBody)).toContain('CreateTaskDto');
    expect(doc.paths['/tasks']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['filter[priority]', 'sort', 'fields', 'limit', 'after']),
    );
    expect(doc.paths['/tasks/{id}']!.patch!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['id', 'If-Match']),
    );
  });

  it('documents the responses with the view class when the resource names one', async () => {
    const { body: doc } = await t.request<any>('GET', '/docs/json');
    const schemaOf = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    const ref = { $ref: '#/components/schemas/TaskOwnerView' };
    expect(schemaOf('/owners/{id}', 'get', '200')).toEqual(ref);
    expect(schemaOf('/owners', 'post', '201')).toEqual(ref);
    expect(schemaOf('/owners/{id}', 'patch', '200')).toEqual(ref);
    expect(schemaOf('/owners/bulk', 'post', '200').properties.created.items).toEqual(ref);
    const list = schemaOf('/owners', 'get', '200');
    expect(list.properties.data.items).toEqual({ $ref: '#/components/schemas/TaskOwnerViewListItem' });
    expect(list.properties.meta.required).toEqual(['limit', 'nextCursor', 'prevCursor']);
    // `fields=` selects some: every property of a list item is optional.
    expect(doc.components.schemas.TaskOwnerViewListItem.required ?? []).toEqual([]);
    expect(Object.keys(doc.components.schemas.TaskOwnerViewListItem.properties)).toEqual([
      'id',
      'email',
      'version',
    ]);
    // Without a view the routes are described in words.
    expect(doc.paths['/tasks/{id}'].get.responses['200'].content).toBeUndefined();
  });
});
