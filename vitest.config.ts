import { defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: true },
  },
  resolve: { tsconfigPaths: true },
  test: {
    include: ['libs/*/src/**/*.spec.ts', 'libs/*/test/**/*.e2e-spec.ts', 'apps/*/test/**/*.e2e-spec.ts', 'test/**/*.e2e-spec.ts'],
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.kwik/test-results.json' },
  },
});
