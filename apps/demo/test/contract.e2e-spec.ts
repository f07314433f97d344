import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  createTestApp,
  expectNoBreakingChanges,
  fetchApiDocuments,
  type OpenApiDocument,
  type TestApp,
} from '@kwik/testing';
import { AppModule } from '../src/app.module.js';

/** The committed contract (`npm run api:snapshot` writes it). */
const SNAPSHOT = fileURLToPath(new URL('../openapi/snapshot.json', import.meta.url));

/** The contract guard: the running demo against the committed OpenAPI snapshot. */
describe('demo: the API contract', () => {
  let t: TestApp;
  let documents: Record<string, OpenApiDocument>;

  beforeAll(async () => {
    t = await createTestApp(AppModule, {
      name: 'contract',
      env: { LOG_LEVEL: 'silent', KWIK_SEED: 'false' },
    });
    documents = await fetchApiDocuments(t.baseUrl, ['1', '2']);
  });
  afterAll(() => t?.close());

  it('serves every document of the snapshot without a breaking change', () => {
    expect(Object.keys(documents)).toEqual(['latest', 'v1', 'v2']);
    expect(() => expectNoBreakingChanges(documents, SNAPSHOT)).not.toThrow();
  });

  it('catches a deliberately removed field, naming it', () => {
    const broken = structuredClone(documents);
    const schemas = broken.v2!.components!.schemas as Record<
      string,
      { properties?: Record<string, unknown> }
    >;
    delete schemas.CreatePostDto!.properties!.tags;
    expect(() => expectNoBreakingChanges(broken, SNAPSHOT)).toThrow(
      /v2: POST \/api\/posts body no longer accepts the field tags/,
    );
  });

  it('catches a removed enum value of a shaped-list filter', () => {
    const broken = structuredClone(documents);
    const list = broken.latest!.paths!['/api/posts']!.get as {
      parameters: { name: string; schema?: { enum?: string[] } }[];
    };
    list.parameters.find((p) => p.name === 'filter[status]')!.schema!.enum = ['draft', 'published'];
    expect(() => expectNoBreakingChanges(broken, SNAPSHOT)).toThrow(/no longer has the value "archived"/);
  });

  it('catches a removed version and a removed operation', () => {
    const { v1: _gone, ...rest } = structuredClone(documents);
    const paths = rest.latest!.paths!;
    delete paths['/api/posts/{id}/comments'];
    expect(() => expectNoBreakingChanges(rest, SNAPSHOT)).toThrow(
      /latest: the path \/api\/posts\/\{id\}\/comments is gone[\s\S]*v1: the document is no longer served/,
    );
  });
});
