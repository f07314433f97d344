import { describe, expect, it } from 'vitest';
import { breakingChanges, type OpenApiDocument } from './contract.js';

/** A small API: list and create posts, a Post schema by reference. */
function api(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    paths: {
      '/posts': {
        get: {
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer' } }],
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Post' } } },
                  },
                },
              },
            },
          },
        },
        post: {
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreatePost' } } },
          },
          responses: {
            '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Post' } } } },
          },
        },
      },
      '/posts/{id}': { delete: { responses: { '204': {} } } },
    },
    components: {
      schemas: {
        Post: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'string', enum: ['draft', 'published'] },
            views: { type: 'number' },
            publishedAt: { type: ['string', 'null'] },
          },
        },
        CreatePost: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string' },
            status: { type: 'string', enum: ['draft', 'published'] },
            views: { type: 'number' },
          },
        },
      },
    },
  };
}

type Edit = (doc: any) => void;

describe('breakingChanges', () => {
  it('finds none between a document and itself', () => {
    expect(breakingChanges(api(), api())).toEqual([]);
  });

  it.each<[string, Edit]>([
    ['a new path', (d) => (d.paths['/tags'] = { get: { responses: { '200': {} } } })],
    ['a new operation', (d) => (d.paths['/posts/{id}'].get = { responses: { '200': {} } })],
    ['a new response field', (d) => (d.components.schemas.Post.properties.excerpt = { type: 'string' })],
    [
      'a new optional request field',
      (d) => (d.components.schemas.CreatePost.properties.tags = { type: 'array' }),
    ],
    ['a new enum value', (d) => d.components.schemas.Post.properties.status.enum.push('archived')],
    [
      'a wider type',
      (d) => (d.components.schemas.CreatePost.properties.views = { type: ['number', 'null'] }),
    ],
    [
      'a new optional parameter',
      (d) => d.paths['/posts'].get.parameters.push({ name: 'q', in: 'query', schema: { type: 'string' } }),
    ],
  ])('allows %s', (_label, edit) => {
    const after = api();
    edit(after);
    expect(breakingChanges(api(), after)).toEqual([]);
  });

  it.each<[string, Edit, string, string]>([
    ['a removed path', (d) => delete d.paths['/posts/{id}'], 'path-removed', '/posts/{id}'],
    ['a removed operation', (d) => delete d.paths['/posts'].post, 'operation-removed', 'POST /posts'],
    [
      'a removed success response',
      (d) => delete d.paths['/posts'].post.responses['201'],
      'response-removed',
      'POST /posts 201',
    ],
    [
      'a removed response field',
      (d) => delete d.components.schemas.Post.properties.title,
      'response-field-removed',
      'GET /posts 200 data[] title',
    ],
    [
      'a removed enum value',
      (d) => (d.components.schemas.Post.properties.status.enum = ['draft']),
      'enum-value-removed',
      'GET /posts 200 data[] status',
    ],
    [
      'a newly required request field',
      (d) => d.components.schemas.CreatePost.required.push('status'),
      'request-field-required',
      'POST /posts body status',
    ],
    [
      'a narrowed request type',
      (d) => (d.components.schemas.CreatePost.properties.views = { type: 'integer' }),
      'type-narrowed',
      'POST /posts body views',
    ],
    [
      'a newly required parameter',
      (d) => (d.paths['/posts'].get.parameters[0].required = true),
      'parameter-required',
      'GET /posts query parameter limit',
    ],
  ])('reports %s', (_label, edit, kind, where) => {
    const after = api();
    edit(after);
    expect(breakingChanges(api(), after)).toContainEqual(expect.objectContaining({ kind, where }));
  });

  it('follows references and allOf, and stops at cycles', () => {
    const before = api();
    before.components!.schemas!.Node = {
      type: 'object',
      properties: { next: { $ref: '#/components/schemas/Node' }, label: { type: 'string' } },
    };
    (before.paths!['/posts']!.get as any).responses['200'].content['application/json'].schema = {
      allOf: [
        { $ref: '#/components/schemas/Node' },
        { type: 'object', properties: { extra: { type: 'string' } } },
      ],
    };
    const after = structuredClone(before);
    delete (after.components!.schemas!.Node as any).properties.label;
    const found = breakingChanges(before, after).map((c) => c.where);
    expect(found).toContain('GET /posts 200 label');
    expect(breakingChanges(before, structuredClone(before))).toEqual([]);
  });
});
