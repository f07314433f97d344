import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadinessRegistry } from '@kwik/core';
import {
  createDataSource,
  DATABASE_RESOLVED_OPTIONS,
  DatabaseErrorCode,
  DatabaseModule,
  TransactionManager,
  type ResolvedDatabaseOptions,
} from '@kwik/database';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { itBehavesLikeAKwikDatabase } from './fixtures/database-behaviour.js';
import { Note } from './fixtures/note.entity.js';
import { createNotesApp } from './fixtures/notes.app.js';
import { NotesService } from './fixtures/notes.module.js';

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A promise plus the function that settles it, to hold one transaction open while another runs. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('DatabaseModule on the PostgreSQL server', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const connections = (): Promise<number> =>
    withAdmin(async (c) => {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
        db.name,
      ]);
      return rows[0].n as number;
    });

  beforeAll(async () => {
    db = await createTestDatabase('database_server');
    app = await createNotesApp({ url: db.url, pool: { max: 4 } });
  });

  afterAll(async () => {
    if (app.get(DataSource).isInitialized) await app.close();
    await db.drop();
  });

  it('runs on the server with the configured pool', () => {
    expect(app.get<ResolvedDatabaseOptions>(DATABASE_RESOLVED_OPTIONS)).toMatchObject({
      mode: 'server',
      url: db.url,
    });
    expect(app.get(DataSource).options).toMatchObject({
      type: 'postgres',
      poolSize: 4,
      applicationName: 'kwik',
    });
  });

  itBehavesLikeAKwikDatabase(() => app);

  it('keeps a transaction uncommitted rows invisible to a concurrent transaction until it commits', async () => {
    const tx = app.get(TransactionManager);
    const written = gate();
    const checked = gate();
    const writer = tx.run(async (em) => {
      await em.save(em.create(Note, { title: 'isolated' }));
      written.open();
      await checked.opened;
      return em;
    });
    await written.opened;
    const reader = await tx.run(async (em) => ({ em, seen: await em.countBy(Note, { title: 'isolated' }) }));
    checked.open();
    const writerEm = await writer;
    expect(reader.em).not.toBe(writerEm);
    expect(reader.seen).toBe(0);
    expect(await tx.manager.countBy(Note, { title: 'isolated' })).toBe(1);
  });

  it('runs an injected repository outside the transaction (another connection): it misses uncommitted rows', async () => {
    const service = app.get(NotesService);
    const seen = await app.get(TransactionManager).run(async (em) => {
      await em.save(em.create(Note, { title: 'pooled' }));
      return service.repository.countBy({ title: 'pooled' });
    });
    expect(seen).toBe(0);
    expect(await service.repository.countBy({ title: 'pooled' })).toBe(1);
  });

  it('applies pool.statementTimeoutMs on every server connection', async () => {
    const ds = await createDataSource({ url: db.url, pool: { statementTimeoutMs: 50 }, logging: false });
    expect(ds.isInitialized).toBe(true);
    try {
      await expect(ds.query('SELECT pg_sleep(1)')).rejects.toThrow(/statement timeout/);
    } finally {
      await ds.destroy();
    }
  });

  it.each([
    ['mysql://root@localhost/app', DatabaseErrorCode.InvalidUrl, /postgres:\/\/ or postgresql:\/\//],
    ['postgres://user:secret@', DatabaseErrorCode.InvalidUrl, /user:\*\*\*@/],
  ])('refuses to boot with url %s and says how to fix it', async (url, code, message) => {
    const boot = Test.createTestingModule({ imports: [DatabaseModule.forRoot({ url })] }).compile();
    await expect(boot).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('refuses to boot on a database that does not exist, saying how to create it', async () => {
    const missing = new URL(db.url);
    missing.pathname = '/kwik_no_such_database';
    const boot = Test.createTestingModule({
      imports: [DatabaseModule.forRoot({ url: missing.href, retryAttempts: 0 })],
    }).compile();
    await expect(boot).rejects.toMatchObject({
      code: DatabaseErrorCode.DatabaseNotFound,
      message: expect.stringMatching(
        /"kwik_no_such_database" does not exist .*createdb .* kwik_no_such_database/,
      ),
    });
  });

  it('refuses to boot when the server does not answer, after the configured retries', async () => {
    const boot = Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({
          url: 'postgres://postgres:secret@127.0.0.1:1/app',
          retryAttempts: 1,
          retryDelayMs: 10,
        }),
      ],
    }).compile();
    const error = await boot.then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error).toMatchObject({
      code: DatabaseErrorCode.Unreachable,
      message: expect.stringMatching(/Cannot reach the PostgreSQL server at 127\.0\.0\.1:1 \(ECONNREFUSED\)/),
    });
    expect(error?.message).not.toContain('secret');
  });

  it('works alone with forRoot(), without KwikModule (no readiness registry)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DatabaseModule.forRoot({ url: db.url, entities: [Note], logging: false })],
    }).compile();
    const alone = await moduleRef.init();
    try {
      const tx = alone.get(TransactionManager);
      const count = await tx.run(async (em) => {
        await em.save(em.create(Note, { title: 'alone' }));
        return em.countBy(Note, { title: 'alone' });
      });
      expect(count).toBe(1);
      expect(() => alone.get(ReadinessRegistry)).toThrow(/ReadinessRegistry/);
    } finally {
      await alone.close();
    }
  });

  it('ends the pool on app.close(): no connection of the app stays open', async () => {
    const dataSource = app.get(DataSource);
    expect(await connections()).toBeGreaterThan(0);
    await app.close();
    expect(dataSource.isInitialized).toBe(false);
    expect(await connections()).toBe(0);
  });
});
