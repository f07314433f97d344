import { describe, expect, it } from 'vitest';
import { testField } from '../shape/resolved-field.fixture.js';
import type { ResolvedField } from '../shape/resolved-shape.js';
import { compilePageSerializer } from './page-serializer.js';
import type { ShapedPage } from './shaped-list.js';

const f = testField;

const fields = [
  f('id', 'uuid'),
  f('title', 'text'),
  f('status', 'enum'),
  f('views', 'integer'),
  f('big', 'bigint'),
  f('price', 'number'),
  f('ratio', 'number', { float: 'real' } as Partial<ResolvedField>),
  f('done', 'boolean'),
  f('publishedAt', 'timestamp'),
  f('createdAt', 'timestamp', { timeZone: true }),
  f('day', 'date'),
  f('tags', 'text', { isArray: true }),
  f('doc', 'other'),
  f('author.email', 'text'),
  f('author.displayName', 'text'),
];

const row = (overrides: Record<string, unknown> = {}) => ({
  id: '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01',
  title: 'Quotes " and \\ backslashes, unicode ✓ \u2028 and </script>',
  status: 'published',
  views: 42,
  big: '9223372036854775807',
  price: '12.50',
  ratio: 0.1,
  done: false,
  publishedAt: new Date('2026-01-02T03:04:05.678Z'),
  createdAt: '2026-01-02T03:04:05.678Z',
  day: new Date('2026-01-02T00:00:00Z'),
  tags: ['news', 'ops'],
  doc: { nested: [1, 'two', null] },
  author: { email: 'a@b.test', displayName: 'Ada' },
  ...overrides,
});

describe('compilePageSerializer', () => {
  const serialize = compilePageSerializer(fields);
  it.each<[string, ShapedPage]>([
    ['a full row', { data: [row()], meta: { limit: 20, nextCursor: 'n.c', prevCursor: null } }],
    [
      'nulls everywhere, a missing relation',
      {
        data: [
          row(
            Object.fromEntries(
              [
                'id',
                'title',
                'status',
                'views',
                'big',
                'price',
                'ratio',
                'done',
                'publishedAt',
                'createdAt',
                'day',
                'tags',
                'doc',
              ].map((k) => [k, null]),
            ),
          ),
        ].map((r) => ({ ...r, author: null })),
        meta: { limit: 1, nextCursor: null, prevCursor: 'p.c', total: 7 },
      },
    ],
    [
      'an empty page in offset mode',
      { data: [], meta: { limit: 5, nextCursor: null, prevCursor: null, page: 3 } },
    ],
    [
      'empty arrays and strings',
      { data: [row({ tags: [], title: '' })], meta: { limit: 20, nextCursor: null, prevCursor: null } },
    ],
  ])('writes exactly what JSON.stringify writes: %s', (_case, page) => {
    expect(serialize(page)).toBe(JSON.stringify(page));
  });
});

describe('a column with a TypeORM transformer', () => {
  it('is written as JSON.stringify writes the value the transformer read (a numeric read as a number)', () => {
    const serialize = compilePageSerializer([
      f('id', 'uuid'),
      f('price', 'number', { read: (raw) => (raw === null ? null : Number(raw)) }),
    ]);
    const page = {
      data: [
        { id: '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e01', price: 296.07 },
        { id: '5f0c6c1e-9d7b-4bb0-8c35-0d3a4b8c9e02', price: null },
      ],
      meta: { limit: 2, nextCursor: null, prevCursor: null },
    };
    expect(serialize(page)).toBe(JSON.stringify(page));
  });
});
