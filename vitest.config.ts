import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Libraries' own tsconfigs (used to build dist/) have no `paths`; tests always run the sources.
const libs = readdirSync(new URL('./libs', import.meta.url));
const alias = Object.fromEntries(
  libs.map((lib) => [`@kwik/${lib}`, fileURLToPath(new URL(`./libs/${lib}/src/index.ts`, import.meta.url))]),
);

export default defineConfig({
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: true },
  },
  resolve: { tsconfigPaths: true, alias },
  test: {
    include: [
      'libs/*/src/**/*.spec.ts',
      'apps/*/src/**/*.spec.ts',
      'schematics/src/**/*.spec.ts',
      'libs/*/test/**/*.e2e-spec.ts',
      'apps/*/test/**/*.e2e-spec.ts',
      'test/**/*.e2e-spec.ts',
    ],
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.kwik/test-results.json' },
  },
});
