import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataSource,
  DatabaseErrorCode,
  generateMigration,
  revertLastMigration,
  runCli,
  runMigrations,
  type KwikDataSource,
} from '@kwik/database';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { Note } from './fixtures/note.entity.js';

const DATA_SOURCE = fileURLToPath(new URL('./fixtures/cli-data-source.ts', import.meta.url));

async function tableExists(ds: KwikDataSource, table: string): Promise<boolean> {
  const [row] = await ds.query<{ oid: string | null }[]>('SELECT to_regclass($1)::text AS oid', [table]);
  return row!.oid !== null;
}

async function withDataSource<T>(
  url: string,
  migrations: Function[],
  fn: (ds: KwikDataSource) => Promise<T>,
): Promise<T> {
  const ds = await createDataSource({ url, entities: [Note], migrations, logging: false });
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

function output(): { lines: string[]; errors: string[]; log(l: string): void; error(l: string): void } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, log: (l) => lines.push(l), error: (l) => errors.push(l) };
}

describe('migrations on the PostgreSQL server', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
    dir = await mkdtemp(join(tmpdir(), 'kwik-migrations-'));
  });

  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('generates from the entities, runs, and reverts a migration (functions)', async () => {
    const generated = await withDataSource(db.url, [], (ds) =>
      generateMigration(ds, { name: 'create-notes', dir, timestamp: 1_700_000_000_000 }),
    );
    expect(generated).toMatchObject({
      className: 'CreateNotes1700000000000',
      path: join(dir, '1700000000000-create-notes.ts'),
    });
    const source = await readFile(generated.path, 'utf8');
    expect(source).toContain('CREATE TABLE "test_note"');
    expect(source).toContain('DROP TABLE "test_note"');

    const { CreateNotes1700000000000: migration } = (await import(generated.path)) as Record<
      string,
      Function
    >;
    await withDataSource(db.url, [migration!], async (ds) => {
      expect(await tableExists(ds, 'test_note')).toBe(false);
      expect(await runMigrations(ds)).toEqual(['CreateNotes1700000000000']);
      expect(await tableExists(ds, 'test_note')).toBe(true);
      expect(await runMigrations(ds)).toEqual([]);
      await expect(generateMigration(ds, { name: 'again', dir })).rejects.toMatchObject({
        code: DatabaseErrorCode.NoSchemaChanges,
      });

      expect(await revertLastMigration(ds)).toBe('CreateNotes1700000000000');
      expect(await tableExists(ds, 'test_note')).toBe(false);
      expect(await revertLastMigration(ds)).toBeUndefined();
    });
    await rm(generated.path);
  });

  it('generates, runs and reverts through the CLI and a --data-source module', async () => {
    process.env.KWIK_TEST_DATABASE_URL = db.url;
    process.env.KWIK_TEST_MIGRATIONS_DIR = dir;
    const out = output();
    const cli = (...argv: string[]): Promise<number> => runCli([...argv, '--data-source', DATA_SOURCE], out);

    expect(await cli('generate', '--name', 'CreateNotes')).toBe(0);
    const [file] = await readdir(dir);
    expect(file).toMatch(/^\d+-create-notes\.ts$/);
    expect(out.lines.at(-1)).toMatch(/^Generated CreateNotes\d+ \(\d+ statements?\): /);

    expect(await cli('run')).toBe(0);
    expect(out.lines.at(-1)).toMatch(/^Ran 1 migration\(s\): CreateNotes\d+$/);
    await withDataSource(db.url, [], async (ds) => expect(await tableExists(ds, 'test_note')).toBe(true));

    expect(await cli('revert')).toBe(0);
    expect(out.lines.at(-1)).toMatch(/^Reverted CreateNotes\d+$/);
    await withDataSource(db.url, [], async (ds) => expect(await tableExists(ds, 'test_note')).toBe(false));
    expect(out.errors).toEqual([]);
  });

  it.each([
    [[], /No command given/],
    [['migrate'], /Unknown command 'migrate'/],
    [['run'], /--data-source is required/],
    [['generate', '--data-source', DATA_SOURCE], /generate needs --name/],
    [['run', '--data-source', DATA_SOURCE, '--force'], /Unknown argument '--force'/],
    [['run', '--data-source', '/nonexistent/data-source.js'], /Could not import the data-source module/],
  ])('exits 1 with a usage message for %j', async (argv, message) => {
    const out = output();
    expect(await runCli(argv, out)).toBe(1);
    expect(out.errors.join('\n')).toMatch(message);
    expect(out.errors.join('\n')).toContain(DatabaseErrorCode.CliUsage);
  });
});
