import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKwikApp } from '@kwik/core';
import { coreTestModule } from './fixtures/core-test.module.js';

describe('problem+json for every error kind', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createKwikApp(coreTestModule(), {
      handleSignals: false,
      bodyLimit: 1024,
      nest: { logger: false },
    });
  });
  afterAll(() => app.close());

  const post = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/things', payload, headers: { 'content-type': contentType } });

  it('400 validation with errors[] naming each field', async () => {
    const res = await post(
      JSON.stringify({ title: 'far too long title', count: -1, extra: 1, author: { name: 5 } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'https://kwik.dev/problems/validation-error',
      status: 400,
      instance: '/things',
    });
    const fields = [...new Set(body.errors.map((e: { field: string }) => e.field))].sort();
    expect(fields).toEqual(['author.name', 'count', 'extra', 'title']);
    expect(body.errors.find((e: { field: string }) => e.field === 'extra').message).toBe(
      'is not an allowed field',
    );
  });

  it('validates and transforms query strings', async () => {
    expect((await app.inject('/things?limit=5')).json()).toEqual({ limit: 5 });
    const res = await app.inject('/things?limit=500');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('limit');
  });

  it.each([
    ['malformed JSON', () => post('{"title": '), 400, 'malformed-body', /not valid JSON/],
    [
      'payload too large',
      () => post(JSON.stringify({ title: 'x'.repeat(2000), count: 1 })),
      413,
      'payload-too-large',
      /larger/,
    ],
    [
      'unsupported media type',
      () => post('<title>x</title>', 'application/xml'),
      415,
      'unsupported-media-type',
      /application\/json/,
    ],
  ])('%s', async (_name, send, status, kind, detail) => {
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBeTruthy();
    const body = res.json();
    expect(body).toMatchObject({ type: `https://kwik.dev/problems/${kind}`, status, instance: '/things' });
    expect(body.detail).toMatch(detail);
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('404 for an unknown route', async () => {
    const res = await app.inject('/nope?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: 'https://kwik.dev/problems/not-found',
      title: 'Not Found',
      instance: '/nope?x=1',
    });
  });

  it('500 reveals no stack or internals', async () => {
    const res = await app.inject('/things/boom');
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ type: 'https://kwik.dev/problems/internal-error', status: 500 });
    expect(body.detail).toContain(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/hunter2|secret|at .*\.ts|stack/);
  });
});
