import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiResponseValidator } from './response-validator.js';

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

/** The latest document, and v1's, where a widget's `size` was a string. */
const documents: Record<string, unknown> = {
  '/docs/json': {
    openapi: '3.0.0',
    paths: {
      '/widgets/{id}': { get: { responses: { '200': json({ $ref: '#/components/schemas/Widget' }) } } },
      '/widgets/count': { get: { responses: { '200': json({ type: 'integer' }) } } },
      '/widgets': {
        post: {
          responses: {
            '201': json({ $ref: '#/components/schemas/Widget' }),
            '4XX': {
              content: { 'application/problem+json': { schema: { type: 'object', required: ['status'] } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Widget: {
          type: 'object',
          required: ['id', 'size', 'at'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            size: { type: 'number' },
            at: { type: 'string', format: 'date-time' },
            note: { type: 'string', nullable: true },
            price: { type: 'number', multipleOf: 0.01 },
          },
        },
      },
    },
  },
  '/docs/v1/json': {
    openapi: '3.0.0',
    paths: {
      '/widgets/{id}': {
        get: { responses: { '200': json({ type: 'object', properties: { size: { type: 'string' } } }) } },
      },
    },
  },
};

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const doc = documents[req.url ?? ''];
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(doc ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const headers = (extra: Record<string, string> = {}) =>
  new Headers({ 'content-type': 'application/json; charset=utf-8', ...extra });
const widget = {
  id: '8d2f3a5e-7a0b-4c1e-9f3d-2b6a1c4e5f70',
  size: 3,
  at: '2026-12-04T10:00:00.000Z',
  note: null,
};

describe('OpenApiResponseValidator', () => {
  it.each([
    ['a body that matches its schema (refs and nullable resolved)', 'GET', '/widgets/w1', 200, widget, []],
    ['a static path before a templated one', 'GET', '/widgets/count', 200, 4, []],
    ['an undocumented status', 'GET', '/widgets/w1', 404, { status: 404 }, []],
    ['an undocumented route', 'GET', '/gadgets', 200, [1], []],
    ['a status range (4XX) with its own media type', 'POST', '/widgets', 400, { status: 400 }, []],
  ])('passes %s', async (_what, method, path, status, body, expected) => {
    const validator = new OpenApiResponseValidator(baseUrl);
    const type = status === 400 ? 'application/problem+json' : 'application/json';
    expect(await validator.check(method, path, status, headers({ 'content-type': type }), body)).toEqual(
      expected,
    );
  });

  it('names each violation with the route, status and instance path', async () => {
    const validator = new OpenApiResponseValidator(baseUrl);
    const violations = await validator.check('GET', '/widgets/w1?x=1', 200, headers(), {
      ...widget,
      size: '3',
      at: 'yesterday',
    });
    expect(violations).toEqual([
      'GET /widgets/{id} 200 application/json: /size must be number',
      'GET /widgets/{id} 200 application/json: /at must match format "date-time"',
    ]);
    expect(await validator.check('POST', '/widgets', 201, headers(), { id: widget.id })).toEqual([
      "POST /widgets 201 application/json: (body) must have required property 'size'",
      "POST /widgets 201 application/json: (body) must have required property 'at'",
    ]);
  });

  it("checks a versioned response against its version's document, and falls back to the latest", async () => {
    const validator = new OpenApiResponseValidator(baseUrl);
    expect(
      await validator.check('GET', '/widgets/w1', 200, headers({ 'api-version': '1' }), { size: 'L' }),
    ).toEqual([]);
    expect(
      await validator.check('GET', '/widgets/w1', 200, headers({ 'api-version': '1' }), { size: 3 }),
    ).toEqual(['GET /widgets/{id} 200 application/json: /size must be string']);
    // No /docs/v7/json: the latest document applies.
    expect(await validator.check('GET', '/widgets/w1', 200, headers({ 'api-version': '7' }), widget)).toEqual(
      [],
    );
  });

  it('says where it looked when the document is not served', async () => {
    const validator = new OpenApiResponseValidator(baseUrl, '/nope');
    await expect(validator.check('GET', '/widgets/w1', 200, headers(), widget)).rejects.toThrow(
      'validateResponses: GET /nope/json answered 404',
    );
  });

  it('takes multipleOf: 0.01 in decimal, not binary, arithmetic', async () => {
    const validator = new OpenApiResponseValidator(baseUrl);
    expect(await validator.check('GET', '/widgets/w1', 200, headers(), { ...widget, price: 296.07 })).toEqual(
      [],
    );
    expect(
      await validator.check('GET', '/widgets/w1', 200, headers(), { ...widget, price: 296.075 }),
    ).toEqual(['GET /widgets/{id} 200 application/json: /price must be multiple of 0.01']);
  });

  it('counts what it checked; strict fails a response the document does not describe', async () => {
    const lenient = new OpenApiResponseValidator(baseUrl);
    await lenient.check('GET', '/widgets/w1', 200, headers(), widget);
    await lenient.check('GET', '/gadgets', 200, headers(), []);
    expect({ checked: lenient.checked, undocumented: lenient.undocumented }).toEqual({
      checked: 1,
      undocumented: 1,
    });
    const strict = new OpenApiResponseValidator(baseUrl, '/docs', { strict: true });
    expect(await strict.check('GET', '/gadgets?x=1', 200, headers(), [])).toEqual([
      'GET /gadgets 200 application/json: no schema documented for this response (strict)',
    ]);
    expect(await strict.check('GET', '/widgets/w1', 200, headers(), widget)).toEqual([]);
  });

  it('skips bodies that are not JSON', async () => {
    const validator = new OpenApiResponseValidator(baseUrl, '/nope');
    expect(
      await validator.check('GET', '/widgets/w1', 200, headers({ 'content-type': 'text/csv' }), 'a,b'),
    ).toEqual([]);
  });
});
