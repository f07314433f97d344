import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@kwik/database';
import { createNotesApp } from './fixtures/notes.app.js';

const DATA_SOURCE = fileURLToPath(new URL('./fixtures/cli-data-source.ts', import.meta.url));

describe('embedded PGlite in a data directory', () => {
  let root: string;
  let dataDir: string;
  let migrationsDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kwik-pglite-'));
    dataDir = join(root, 'nested', 'pglite');
    migrationsDir = join(root, 'migrations');
    delete process.env.KWIK_TEST_DATABASE_URL;
    process.env.KWIK_TEST_DATA_DIR = dataDir;
    process.env.KWIK_TEST_MIGRATIONS_DIR = migrationsDir;
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('generates and runs migrations with the CLI, creating the data directory', async () => {
    const out = {
      lines: [] as string[],
      log: (l: string) => out.lines.push(l),
      error: (l: string) => out.lines.push(l),
    };
    expect(await runCli(['generate', '--name', 'create-notes', '--data-source', DATA_SOURCE], out)).toBe(0);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(await readdir(migrationsDir)).toEqual([expect.stringMatching(/^\d+-create-notes\.ts$/)]);
    expect(await runCli(['run', '--data-source', DATA_SOURCE], out)).toBe(0);
    expect(out.lines.at(-1)).toMatch(/^Ran 1 migration\(s\): CreateNotes\d+$/);
  });

  it('keeps rows across restarts of the app', async () => {
    const options = { embedded: { dataDir }, synchronize: false };
    const first = await createNotesApp(options);
    const created = await first.inject({ method: 'POST', url: '/notes', payload: { title: 'persisted' } });
    expect(created.statusCode).toBe(201);
    await first.close();

    const second = await createNotesApp(options);
    try {
      const read = await second.inject({ method: 'GET', url: `/notes/${created.json().id}` });
      expect(read.json()).toMatchObject({ title: 'persisted', version: 1 });
    } finally {
      await second.close();
    }
  });

  it('runs pending migrations at boot with migrationsRun', async () => {
    const out = {
      lines: [] as string[],
      log: (l: string) => out.lines.push(l),
      error: (l: string) => out.lines.push(l),
    };
    expect(await runCli(['revert', '--data-source', DATA_SOURCE], out)).toBe(0);
    const [file] = await readdir(migrationsDir);
    const migration = Object.values(
      (await import(join(migrationsDir, file!))) as Record<string, Function>,
    )[0]!;
    const app = await createNotesApp({
      embedded: { dataDir },
      synchronize: false,
      migrations: [migration],
      migrationsRun: true,
    });
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/notes',
        payload: { title: 'after boot migration' },
      });
      expect(created.statusCode).toBe(201);
    } finally {
      await app.close();
    }
  });
});
