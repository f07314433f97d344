import { IsBoolean, IsIn } from 'class-validator';
import { EnvBoolean, KwikConfig } from '@kwik/core';

/** The demo's environment: Kwik's variables plus the demo's own (see shared DEMO.md). */
export class DemoConfig extends KwikConfig {
  /** Seed the demo data when the database is empty. @default true */
  @EnvBoolean()
  @IsBoolean({ message: 'must be true or false' })
  KWIK_SEED: boolean = true;

  /** How tenants are separated (the tenant library reads it). @default 'shared' */
  @IsIn(['shared', 'schema'], { message: 'must be shared or schema' })
  KWIK_TENANT_STRATEGY: 'shared' | 'schema' = 'shared';

  /** Where background tasks queue (the tasks library reads it). @default 'postgres' */
  @IsIn(['postgres', 'bullmq'], { message: 'must be postgres or bullmq' })
  KWIK_TASKS_DRIVER: 'postgres' | 'bullmq' = 'postgres';
}
