import { describe, expect, it } from 'vitest';
import { defineFactory } from './factory.js';

class Author {
  id?: string;
  email!: string;
  name!: string;
  roles: string[] = [];
}

class Article {
  title!: string;
  status!: 'draft' | 'published';
  publishedAt!: Date | null;
  slug!: string;
  author?: Author;
}

const Authors = defineFactory(
  Author,
  ({ sequence, faker }) => ({
    email: `author${sequence}@acme.test`,
    name: faker.person.fullName(),
  }),
  { states: { admin: () => ({ roles: ['admin'] }) } },
);

const Articles = defineFactory(
  Article,
  ({ sequence }) => ({
    title: `Article ${sequence}`,
    status: 'draft' as const,
    publishedAt: null,
    slug: ({ sequence: n }) => `article-${n}`,
    author: Authors,
  }),
  {
    states: {
      published: () => ({ status: 'published' as const, publishedAt: new Date('2026-01-01T00:00:00Z') }),
      retitled: ({ sequence }) => ({ title: `Retitled ${sequence}` }),
    },
  },
);

describe('defineFactory', () => {
  it('makes unsaved instances of the entity class with sequences, functions and related factories', () => {
    Articles.resetSequence();
    Authors.resetSequence();
    const [a, b] = Articles.makeMany(2);
    expect(a).toBeInstanceOf(Article);
    expect([a!.title, b!.title]).toEqual(['Article 1', 'Article 2']);
    expect(a!.slug).toBe('article-1');
    expect(a!.author).toBeInstanceOf(Author);
    expect(a!.author!.email).toBe('author1@acme.test');
    expect(b!.author!.email).toBe('author2@acme.test');
    expect(a!.author!.roles).toEqual([]);
  });

  it.each([
    [['published'], { status: 'published', title: 'Article 1' }],
    [['published', 'retitled'], { status: 'published', title: 'Retitled 1' }],
  ])('applies states %j over the definition, in order', (states, expected) => {
    Articles.resetSequence();
    expect(Articles.state(...states).make()).toMatchObject(expected);
  });

  it('lets overrides win over the definition and the states', () => {
    const article = Articles.state('published').make({ title: 'Mine', author: undefined });
    expect(article).toMatchObject({ title: 'Mine', status: 'published', author: undefined });
  });

  it('shares one sequence between a factory and its states', () => {
    Authors.resetSequence();
    expect([Authors.make().email, Authors.state('admin').make().email, Authors.make().email]).toEqual([
      'author1@acme.test',
      'author2@acme.test',
      'author3@acme.test',
    ]);
    expect(Authors.state('admin').make().roles).toEqual(['admin']);
  });

  it('repeats faker data with a seed', () => {
    const first = Authors.seed(42).make().name;
    const second = Authors.seed(42).make().name;
    expect(second).toBe(first);
  });

  it('refuses an unknown state, naming the ones there are', () => {
    expect(() => Articles.state('archived')).toThrow(
      'Factory of Article: no state "archived" (states: published, retitled)',
    );
  });

  it('refuses to create without something to save through', async () => {
    await expect(Articles.create({} as never)).rejects.toThrow(/pass a booted app/);
  });
});
