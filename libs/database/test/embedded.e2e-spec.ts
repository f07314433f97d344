import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_RESOLVED_OPTIONS,
  DatabaseErrorCode,
  TransactionManager,
  type ResolvedDatabaseOptions,
} from '@kwik/database';
import { itBehavesLikeAKwikDatabase } from './fixtures/database-behaviour.js';
import { Note } from './fixtures/note.entity.js';
import { createNotesApp } from './fixtures/notes.app.js';
import { NotesService } from './fixtures/notes.module.js';

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('DatabaseModule on embedded PGlite (in memory)', () => {
  let app: NestFastifyApplication;
  let timersBefore: number;

  beforeAll(async () => {
    timersBefore = timers();
    app = await createNotesApp({ embedded: { inMemory: true } });
  });

  afterAll(async () => {
    if (app.get(DataSource).isInitialized) await app.close();
  });

  it('runs embedded, with one connection', () => {
    expect(app.get<ResolvedDatabaseOptions>(DATABASE_RESOLVED_OPTIONS)).toMatchObject({
      mode: 'embedded',
      dataDir: undefined,
    });
    expect(app.get(DataSource).options).toMatchObject({ type: 'postgres', poolSize: 1 });
  });

  itBehavesLikeAKwikDatabase(() => app);

  it('fails fast instead of deadlocking when an injected repository is used inside run()', async () => {
    const service = app.get(NotesService);
    await app.get(TransactionManager).run(async (em) => {
      await em.save(em.create(Note, { title: 'guarded' }));
      await expect(service.repository.countBy({ title: 'guarded' })).rejects.toMatchObject({
        code: DatabaseErrorCode.QueryOutsideTransaction,
      });
      // The transaction's own EntityManager keeps working after the refusal.
      expect(await em.countBy(Note, { title: 'guarded' })).toBe(1);
    });
    // And so does the pool once the transaction released the connection.
    expect(await service.repository.countBy({ title: 'guarded' })).toBe(1);
  });

  it('serializes concurrent transactions on the single connection; both commit', async () => {
    const tx = app.get(TransactionManager);
    const write = (title: string) =>
      tx.run(async (em) => {
        await em.save(em.create(Note, { title }));
        await new Promise((r) => setTimeout(r, 20));
        return em.countBy(Note, { title: 'serialized' });
      });
    const counts = await Promise.all([write('serialized'), write('serialized')]);
    expect(counts.toSorted()).toEqual([1, 2]);
    expect(await app.get(DataSource).manager.countBy(Note, { title: 'serialized' })).toBe(2);
  });

  it('closes PGlite after the data source on app.close(), leaving no timer behind', async () => {
    const dataSource = app.get(DataSource);
    await app.close();
    expect(dataSource.isInitialized).toBe(false);
    // An unclosed PGlite keeps a ~10 s timer alive, which would hold the process open.
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });
});
