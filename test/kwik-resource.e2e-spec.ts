import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `kwik-resource` end to end: resources generated into a copy of this repository (the demo is
 * the project), with the real Nest CLI and with the `kwik` CLI's flags; the copy must type-check
 * and the generated specs must pass there. Wall times are printed, never asserted.
 */
const repo = fileURLToPath(new URL('..', import.meta.url));
const SKIP = /^(node_modules|\.git|\.kwik)$|(^|\/)dist$/;
let copy: string;
let failed = false;

function run(
  command: string,
  args: string[],
  timeoutMs = 240_000,
): { out: string; status: number | null; seconds: number } {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const seconds = (performance.now() - started) / 1000;
  // eslint-disable-next-line no-control-regex -- the Nest CLI colours its report whatever NO_COLOR says
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
  console.log(
    `[kwik-resource e2e] ${command} ${args.join(' ')}: exit ${result.status} in ${seconds.toFixed(1)} s`,
  );
  return { out, status: result.status, seconds };
}

/** A digest of every file under the demo, to prove a second run changes nothing. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(copy, path)).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Exit 0, or the failure shows the command's last output. */
function expectSuccess(result: { status: number | null; out: string }): void {
  expect({ status: result.status, out: result.out.slice(-4000) }).toMatchObject({ status: 0 });
}

const nest = (...args: string[]) =>
  run('node', [join(repo, 'node_modules/@nestjs/cli/bin/nest.js'), ...args]);
const kwik = (...args: string[]) => run('node', [join(repo, 'schematics/dist/cli.js'), ...args]);
const demo = (path: string): string => join(copy, 'apps/demo', path);

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'kwik-resource-'));
  cpSync(repo, copy, { recursive: true, filter: (src) => !SKIP.test(relative(repo, src)) });
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');
});

afterAll(() => {
  if (failed) console.log(`[kwik-resource e2e] kept ${copy} for a look`);
  else if (copy) rmSync(copy, { recursive: true, force: true });
});

// Child processes (the Nest CLI, tsc, Vitest) take a while on a busy machine: generous per-test limits.
const SLOW = { timeout: 600_000 };

describe('kwik-resource in a copy of the demo', () => {
  it('nest g kwik-resource (fields in the path slot): auth and tenant scope from the app', SLOW, () => {
    const result = nest(
      'g',
      'kwik-resource',
      'supplier',
      'name:string:unique,rating:int:index,notes:text:optional',
      '-p',
      'demo',
    );
    expectSuccess(result);
    const { out } = result;
    // The Nest CLI exits 0 when a schematic fails: the output and the files tell.
    expect(out).not.toMatch(/error/i);
    expect(out).toContain('CREATE apps/demo/src/suppliers/supplier.entity.ts');
    expect(out).toContain('UPDATE apps/demo/src/app.module.ts');
    expect(readFileSync(demo('src/suppliers/supplier.entity.ts'), 'utf8')).toContain('@TenantScoped()');
    expect(readFileSync(demo('src/app.module.ts'), 'utf8')).toContain('SuppliersModule');
  });

  it('kwik g kwik-resource with --no-auth --cache, every field type', SLOW, () => {
    const result = kwik(
      'g',
      'kwik-resource',
      'order-item',
      'quantity:int',
      'shipped:boolean',
      'dueOn:date',
      'shippedAt:datetime:optional',
      'ref:uuid:optional',
      'weight:number',
      'price:decimal',
      '--no-auth',
      '--cache',
      '-p',
      'demo',
    );
    expectSuccess(result);
    const controller = readFileSync(demo('src/order-items/order-items.controller.ts'), 'utf8');
    expect(controller).toContain('@Public()');
    expect(controller).toContain('CACHED_READ');
  });

  it('kwik g kr with --no-tenant-scoped', SLOW, () => {
    const result = kwik('g', 'kr', 'note', 'body:text', 'pinned:boolean', '--no-tenant-scoped', '-p', 'demo');
    expectSuccess(result);
    const entity = readFileSync(demo('src/notes/note.entity.ts'), 'utf8');
    expect(entity).not.toContain('tenantId');
    expect(entity).toContain('pinned!: boolean;');
  });

  it('a second run changes nothing; a bad field is refused with the reason', SLOW, () => {
    const before = digest(demo(''));
    const again = nest(
      'g',
      'kwik-resource',
      'supplier',
      'name:string:unique,rating:int:index,notes:text:optional',
      '-p',
      'demo',
    );
    expect(again.out).toContain('exists: kept');
    expect(digest(demo(''))).toBe(before);
    const bad = kwik('g', 'kr', 'gadget', 'price:money', '-p', 'demo');
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('unknown type "money"');
    expect(existsSync(demo('src/gadgets'))).toBe(false);
  });

  it('the project type-checks and the generated specs pass', SLOW, () => {
    const tsc = run('node', [
      join(repo, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '-p',
      'tsconfig.json',
    ]);
    expectSuccess(tsc);
    const specs = [
      'apps/demo/src/suppliers',
      'apps/demo/src/order-items',
      'apps/demo/src/notes',
      'apps/demo/test/suppliers.e2e-spec.ts',
      'apps/demo/test/order-items.e2e-spec.ts',
      'apps/demo/test/notes.e2e-spec.ts',
    ];
    const vitest = run(
      'node',
      [
        join(repo, 'node_modules/vitest/vitest.mjs'),
        'run',
        ...specs,
        '--outputFile.json=.kwik/generated.json',
      ],
      300_000,
    );
    const report = JSON.parse(readFileSync(join(copy, '.kwik/generated.json'), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTestSuites: number;
      testResults: { name: string; status: string }[];
    };
    console.log(
      `[kwik-resource e2e] generated specs: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
    failed = vitest.status !== 0;
    expectSuccess(vitest);
    expect(report.testResults.map((r) => relative(copy, r.name)).sort()).toEqual([
      'apps/demo/src/notes/notes.spec.ts',
      'apps/demo/src/order-items/order-items.spec.ts',
      'apps/demo/src/suppliers/suppliers.spec.ts',
      'apps/demo/test/notes.e2e-spec.ts',
      'apps/demo/test/order-items.e2e-spec.ts',
      'apps/demo/test/suppliers.e2e-spec.ts',
    ]);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(40);
  });
});
