import { describe, expect, it } from 'vitest';
import { added, changed, removed, renamed } from './field-instructions.js';
import { VersionChain } from './version-chain.js';
import { VersionChange, type ChangeContext } from './version-change.js';
import { VersioningError } from '../versioning.errors.js';

/** v2: `body` → `content`; the author's `name` → `displayName`; `excerpt` added. */
class V2 extends VersionChange {
  readonly version = '2';
  readonly description = 'body renamed to content; author.name to author.displayName; excerpt added';
  readonly routes = ['/posts', '/posts/:id', '/posts/bulk'];
  override readonly fields = [
    renamed('body', 'content'),
    renamed('author.name', 'author.displayName'),
    added('excerpt'),
  ];
}

/** v3: `content` → `text`; `legacy` removed (old responses show false); price in cents became an object; tags.label → tags.name. */
class V3 extends VersionChange {
  readonly version = '3';
  readonly description = 'content renamed to text; legacy removed; price became { amount, currency }';
  readonly routes = ['/posts*'];
  override readonly fields = [
    renamed('content', 'text'),
    removed('legacy', { default: false }),
    changed('price', {
      up: (cents: number) => ({ amount: cents, currency: 'EUR' }),
      down: (price: { amount: number }) => price.amount,
    }),
    renamed('tags.label', 'tags.name'),
  ];
}

/** A shape change no field instruction covers: v2 bodies of /stats were `{ count }`, v3 `{ totals: { posts } }`. */
class StatsV3 extends VersionChange {
  readonly version = '3';
  readonly description = 'stats nest their counts';
  readonly routes = ['/stats'];
  override migrateRequest(body: any): unknown {
    return { totals: { posts: body.count } };
  }
  override migrateResponse(body: any): unknown {
    return { count: body.totals.posts };
  }
}

const chain = new VersionChain(['1', '2', '3'], [V3, new V2(), StatsV3]);
const ctx = (clientVersion: string, route = '/posts/:id'): ChangeContext => ({
  route,
  method: 'GET',
  clientVersion,
});

/** A post as the v3 controller returns it. */
const latestPost = () => ({
  id: 'p1',
  text: 'Hello',
  excerpt: 'He',
  price: { amount: 250, currency: 'EUR' },
  author: { id: 'u1', displayName: 'Ada' },
  tags: [{ name: 'news' }, { name: 'tech' }],
});

describe('VersionChain', () => {
  it('migrates a v1 request up through v2 and v3, nested objects and lists included', () => {
    const v1 = {
      body: 'Hello',
      legacy: true,
      price: 250,
      author: { name: 'Ada' },
      tags: [{ label: 'news' }],
    };
    expect(chain.migrateRequest(v1, ctx('1'))).toEqual({
      text: 'Hello',
      price: { amount: 250, currency: 'EUR' },
      author: { displayName: 'Ada' },
      tags: [{ name: 'news' }],
    });
  });

  it('migrates a v3 response down to v2 and to v1, keeping the order of the keys', () => {
    const v2 = chain.migrateResponse(latestPost(), ctx('2'));
    expect(v2).toEqual({
      id: 'p1',
      content: 'Hello',
      excerpt: 'He',
      price: 250,
      author: { id: 'u1', displayName: 'Ada' },
      tags: [{ label: 'news' }, { label: 'tech' }],
      legacy: false,
    });
    const v1 = chain.migrateResponse(latestPost(), ctx('1')) as Record<string, unknown>;
    expect(v1).toEqual({
      id: 'p1',
      body: 'Hello',
      price: 250,
      author: { id: 'u1', name: 'Ada' },
      tags: [{ label: 'news' }, { label: 'tech' }],
      legacy: false,
    });
    expect(Object.keys(v1)).toEqual(['id', 'body', 'price', 'author', 'tags', 'legacy']);
  });

  it('never mutates what the handler returned, and reads class instances and toJSON as JSON would', () => {
    const shared = latestPost();
    const before = JSON.stringify(shared);
    chain.migrateResponse({ data: [shared] }, ctx('1', '/posts'));
    chain.migrateResponse(shared, ctx('1'));
    expect(JSON.stringify(shared)).toBe(before);
    class Entity {
      id = 'e1';
      text = 'From a class';
      author = { displayName: 'Ada' };
    }
    expect(chain.migrateResponse(new Entity(), ctx('2'))).toEqual({
      id: 'e1',
      content: 'From a class',
      author: { displayName: 'Ada' },
      legacy: false,
    });
    const custom = { toJSON: () => ({ id: 'j1', text: 'From toJSON' }) };
    expect(chain.migrateResponse(custom, ctx('1'))).toEqual({ id: 'j1', body: 'From toJSON', legacy: false });
  });

  it('leaves the latest version alone', () => {
    const post = latestPost();
    expect(chain.migrateResponse(post, ctx('3'))).toEqual(latestPost());
    expect(chain.changesFor('3', '/posts/:id')).toEqual([]);
  });

  it('migrates every resource of a shaped-list page and of bulk bodies', () => {
    const page = { data: [latestPost(), { ...latestPost(), id: 'p2' }], meta: { limit: 2, nextCursor: 'c' } };
    const v1 = chain.migrateResponse(page, ctx('1', '/posts')) as {
      data: Record<string, unknown>[];
      meta: unknown;
    };
    expect(v1.data.map((p) => [p.id, p.body, 'text' in p, 'excerpt' in p])).toEqual([
      ['p1', 'Hello', false, false],
      ['p2', 'Hello', false, false],
    ]);
    expect(v1.meta).toEqual({ limit: 2, nextCursor: 'c' });
    const bulk = { create: [{ body: 'a' }], update: [{ id: 'p1', body: 'b' }], delete: ['p2'] };
    expect(chain.migrateRequest(bulk, ctx('1', '/posts/bulk'))).toEqual({
      create: [{ text: 'a' }],
      update: [{ id: 'p1', text: 'b' }],
      delete: ['p2'],
    });
  });

  it('runs a change’s own migration hooks for shape changes', () => {
    expect(chain.migrateRequest({ count: 3 }, ctx('2', '/stats'))).toEqual({ totals: { posts: 3 } });
    expect(chain.migrateResponse({ totals: { posts: 5 } }, ctx('1', '/stats'))).toEqual({ count: 5 });
  });

  it('applies a change only on its routes', () => {
    expect(chain.changesFor('1', '/comments/:id')).toEqual([]);
    expect(chain.changesFor('1', '/posts/:id/comments').map((c) => c.version)).toEqual(['3']);
    expect(chain.migrateResponse({ body: 'comment' }, ctx('1', '/comments/:id'))).toEqual({
      body: 'comment',
    });
  });

  it('renames shaped-list parameters up, composing renames across versions', () => {
    expect(
      chain.migrateQuery(
        {
          fields: 'id,body,author.name',
          sort: '-body,id',
          'filter[body][contains]': 'x',
          'filter[author.name]': 'Ada',
          limit: '2',
        },
        '1',
        '/posts',
      ),
    ).toEqual({
      fields: 'id,text,author.displayName',
      sort: '-text,id',
      'filter[text][contains]': 'x',
      'filter[author.displayName]': 'Ada',
      limit: '2',
    });
    expect(chain.migrateQuery({ fields: 'content' }, '2', '/posts')).toEqual({ fields: 'text' });
    expect(chain.migrateQuery({ fields: 'id' }, '3', '/posts')).toBeUndefined();
  });

  it('renames the shaped-list parameters of Link header URLs back down', () => {
    const link =
      '</posts?limit=2&fields=id%2Ctext&after=abc>; rel="next", </posts?limit=2&sort=-text&filter[text]=x>; rel="first"';
    expect(chain.migrateLinkHeader(link, '1', '/posts')).toBe(
      '</posts?limit=2&fields=id,body&after=abc>; rel="next", </posts?limit=2&sort=-body&filter[body]=x>; rel="first"',
    );
  });

  it('returns what needs no migration as it is: the same page, no query, the same Link header', () => {
    const v2Only = new VersionChain(['1', '2'], [V2]);
    // A list whose selected fields no change touches: the caller keeps the serializer compiled for it.
    const page = {
      data: [
        { id: 'p1', title: 'A' },
        { id: 'p2', title: 'B' },
      ],
      meta: { limit: 2 },
    };
    expect(v2Only.migrateResponse(page, ctx('1', '/posts'))).toBe(page);
    const item = { id: 'p1', title: 'A' };
    expect(v2Only.migrateResponse(item, ctx('1', '/posts/:id'))).toBe(item);
    // One changed item copies the list and the page, and only that item.
    const mixed = { data: [page.data[0], { id: 'p3', content: 'T' }], meta: page.meta };
    const migrated = v2Only.migrateResponse(mixed, ctx('1', '/posts')) as typeof mixed;
    expect(migrated).not.toBe(mixed);
    expect(migrated.data[0]).toBe(mixed.data[0]);
    expect(migrated.data[1]).toEqual({ id: 'p3', body: 'T' });
    expect(migrated.meta).toBe(mixed.meta);
    expect(mixed.data[1]).toEqual({ id: 'p3', content: 'T' });

    expect(
      v2Only.migrateQuery(
        { fields: 'id,title', sort: '-id', 'filter[title]': 'content', limit: '2' },
        '1',
        '/posts',
      ),
    ).toBeUndefined();
    // A later-only name is still refused, and a renamed one still renamed, wherever it appears.
    expect(() => v2Only.migrateQuery({ fields: 'id,excerpt' }, '1', '/posts')).toThrow(/excerpt/);
    expect(() => v2Only.migrateQuery({ 'filter[content][eq]': 'x' }, '1', '/posts')).toThrow(/content/);
    expect(v2Only.migrateQuery({ sort: ['id', '-body'] }, '1', '/posts')).toEqual({
      sort: ['id', '-content'],
    });

    const link = '</posts?limit=2&fields=id%2Ctitle&after=abc>; rel="next"';
    expect(v2Only.migrateLinkHeader(link, '1', '/posts')).toBe(link);
    expect(v2Only.migrateLinkHeader('</posts?filter%5Bcontent%5D=x>; rel="first"', '1', '/posts')).toBe(
      '</posts?filter[body]=x>; rel="first"',
    );
  });

  it('renames the fields of a validation problem, in messages and detail too', () => {
    const problem = {
      detail: '2 invalid fields: text, title',
      errors: [
        { field: 'text', message: 'text must be a string' },
        { field: 'create[1].text', message: 'text must be a string' },
        { field: 'filter[text]', message: 'unknown' },
        { field: 'title', message: 'title is required' },
      ],
    };
    expect(chain.migrateProblem(problem, '1', '/posts')).toBe(true);
    expect(problem).toEqual({
      detail: '2 invalid fields: body, title',
      errors: [
        { field: 'body', message: 'body must be a string' },
        { field: 'create[1].body', message: 'body must be a string' },
        { field: 'filter[body]', message: 'unknown' },
        { field: 'title', message: 'title is required' },
      ],
    });
  });

  it.each([
    ['an undeclared version', '4', /not one of the declared versions \(1, 2, 3\)/],
    ['the oldest version', '1', /the oldest declared version/],
  ])('refuses a change introducing %s at boot', (_name, version, why) => {
    class Bad extends VersionChange {
      readonly version = version;
      readonly description = 'bad';
      readonly routes = ['/x'];
    }
    expect(() => new VersionChain(['1', '2', '3'], [Bad])).toThrow(VersioningError);
    expect(() => new VersionChain(['1', '2', '3'], [Bad])).toThrow(why);
  });

  it('refuses a change listed twice at boot', () => {
    expect(() => new VersionChain(['1', '2', '3'], [V2, new V2()])).toThrow(/V2 is listed twice/);
  });

  it('refuses a change without routes at boot', () => {
    class NoRoutes extends VersionChange {
      readonly version = '2';
      readonly description = 'none';
      readonly routes: string[] = [];
    }
    expect(() => new VersionChain(['1', '2'], [NoRoutes])).toThrow(/names no `routes`/);
  });
});
