import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { Client } from 'pg';
import { Column, DataSource, Entity } from 'typeorm';
import { KwikConfig, KwikModule } from '@kwik/core';
import { DatabaseModule, KwikBaseEntity } from '@kwik/database';
import { createTestApp, defineFactory, testServerUrl, type TestApp } from '@kwik/testing';
import { IsString } from 'class-validator';

@Entity('kit_notes')
class KitNote extends KwikBaseEntity {
  @Column({ type: 'varchar', length: 100 }) title!: string;
}

/** A clock the app reads: what a test overrides. */
@Injectable()
class Clock {
  now(): string {
    return 'real';
  }
}

class KitConfig extends KwikConfig {
  @IsString() KIT_GREETING!: string;
}

@Controller('kit')
class KitController {
  constructor(
    private readonly clock: Clock,
    private readonly config: KitConfig,
  ) {}
  @Get('now')
  now(): { now: string; greeting: string } {
    return { now: this.clock.now(), greeting: this.config.KIT_GREETING };
  }
}

/** The app under test (DATABASE_URL is read by the factory, when the app boots). */
function kitApp(): new () => object {
  @Module({
    imports: [
      KwikModule.forRoot({ config: KitConfig, docs: false }),
      DatabaseModule.forRootAsync({
        useFactory: () => ({
          url: process.env.DATABASE_URL,
          entities: [KitNote],
          synchronize: true,
          logging: false,
        }),
      }),
    ],
    controllers: [KitController],
    providers: [Clock],
  })
  class FreshKitApp {}
  return FreshKitApp;
}

const Notes = defineFactory(KitNote, ({ sequence }) => ({ title: `Note ${sequence}` }));

const databaseExists = async (name: string): Promise<boolean> => {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
};

describe('createTestApp', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kitApp(), {
      name: 'kit_lib',
      env: { KIT_GREETING: 'hello', LOG_LEVEL: 'silent' },
      overrides: [{ provide: Clock, useValue: { now: () => 'frozen' } }],
    });
  });
  afterAll(() => t?.close());

  it('boots the app as createKwikApp does, with the overrides, listening on a free port', async () => {
    const res = await t.client.get('/kit/now');
    res.expectStatus(200);
    expect(res.body).toEqual({ now: 'frozen', greeting: 'hello' });
    // createKwikApp's own wiring is there: request ids, problem+json for unknown routes.
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    (await t.client.get('/nope')).expectProblem(404);
  });

  it('runs on a database of its own, and restores the environment after the boot', async () => {
    expect(t.databaseUrl).toMatch(/\/kwik_test_kit_lib_[0-9a-f]{10}$/);
    expect(process.env.KIT_GREETING).toBeUndefined();
    expect(process.env.DATABASE_URL).not.toBe(t.databaseUrl);
    const note = await Notes.create(t.app, { title: 'Saved' });
    const [row] = await t
      .get<DataSource>(DataSource)
      .query('SELECT title FROM kit_notes WHERE id = $1', [note.id]);
    expect(row).toEqual({ title: 'Saved' });
  });

  it('drops the fresh database on close, and close() may be called twice', async () => {
    const other = await createTestApp(kitApp(), {
      name: 'kit_drop',
      env: { KIT_GREETING: 'x', LOG_LEVEL: 'silent' },
    });
    const name = new URL(other.databaseUrl!).pathname.slice(1);
    expect(await databaseExists(name)).toBe(true);
    await other.close();
    await other.close();
    expect(await databaseExists(name)).toBe(false);
  });

  it('drops the fresh database when the app fails to boot, and passes the failure on', async () => {
    await expect(createTestApp(kitApp(), { name: 'kit_fail', env: { LOG_LEVEL: 'silent' } })).rejects.toThrow(
      /KIT_GREETING/,
    );
    const client = new Client({ connectionString: testServerUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 'kwik_test_kit_fail_%'`,
      );
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
