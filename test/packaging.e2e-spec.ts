import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface PackResult {
  name: string;
  files: { path: string }[];
}

/** What `npm pack -w libs/<lib>` would publish (built by `npm test`'s build step first). */
function packedFiles(lib: string, workspace = `libs/${lib}`): PackResult {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '-w', workspace], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(out) as PackResult[])[0]!;
}

describe('every lib is a publishable package', () => {
  it.each([
    'core',
    'logging',
    'database',
    'data',
    'auth',
    'security',
    'tenant',
    'cache',
    'versioning',
    'tasks',
    'testing',
  ])('@kwik/%s packs compiled JS, types and its README, no specs or sources', (lib) => {
    const { name, files } = packedFiles(lib);
    const paths = files.map((f) => f.path);
    expect(name).toBe(`@kwik/${lib}`);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    expect(paths.filter((p) => /\.spec\.|tsbuildinfo/.test(p))).toEqual([]);
  });
});

describe('@kwik/schematics is a publishable collection', () => {
  it('packs the collection, its option schemas, the compiled factories and the kwik CLI, no specs or sources', () => {
    const { name, files } = packedFiles('schematics', 'schematics');
    const paths = files.map((f) => f.path);
    expect(name).toBe('@kwik/schematics');
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'collection.json',
        'schemas/kwik-resource.json',
        'dist/cli.js',
        'dist/index.js',
        'dist/kwik-resource/kwik-resource.factory.js',
      ]),
    );
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    expect(paths.filter((p) => /\.spec\.|tsbuildinfo/.test(p))).toEqual([]);
  });
});
