#!/usr/bin/env node
// `npm run api:snapshot`: writes the OpenAPI documents the demo serves (the latest, v1 and v2) to
// apps/demo/openapi/snapshot.json — the contract its e2e suite holds the running app to
// (`expectNoBreakingChanges`, apps/demo/test/contract.e2e-spec.ts). Boots the built demo on a
// throw-away database of the test PostgreSQL server (KWIK_TEST_POSTGRES_URL, default the local one).
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { createTestApp, fetchApiDocuments, writeApiSnapshot } from '@kwik/testing';
import { AppModule } from '../dist/app.module.js';

const SNAPSHOT = fileURLToPath(new URL('../openapi/snapshot.json', import.meta.url));
const VERSIONS = ['1', '2'];

const app = await createTestApp(AppModule, {
  name: 'api_snapshot',
  env: { LOG_LEVEL: 'silent', KWIK_SEED: 'false' },
});
try {
  const documents = await fetchApiDocuments(app.baseUrl, VERSIONS);
  writeApiSnapshot(documents, SNAPSHOT);
  const paths = Object.keys(documents.latest.paths ?? {}).length;
  console.log(`Wrote ${SNAPSHOT}: ${Object.keys(documents).join(', ')} (${paths} paths in the latest)`);
} finally {
  await app.close();
}
