import { IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import { EnvBoolean, EnvNumber, KwikConfig } from '@kwik/core';

/** The demo's environment: Kwik's variables plus the demo's own (see shared DEMO.md). */
export class DemoConfig extends KwikConfig {
  /** Seed the demo data when the database is empty. @default true */
  @EnvBoolean()
  @IsBoolean({ message: 'must be true or false' })
  KWIK_SEED: boolean = true;

  /** Cache responses (`@Cache()` routes); `false` answers every request from the handler. @default true */
  @EnvBoolean()
  @IsBoolean({ message: 'must be true or false' })
  KWIK_CACHE: boolean = true;

  /** How tenants are separated (the tenant library reads it). @default 'shared' */
  @IsIn(['shared', 'schema'], { message: 'must be shared or schema' })
  KWIK_TENANT_STRATEGY: 'shared' | 'schema' = 'shared';

  /** Where background tasks queue (the tasks library reads it). @default 'postgres' */
  @IsIn(['postgres', 'bullmq'], { message: 'must be postgres or bullmq' })
  KWIK_TASKS_DRIVER: 'postgres' | 'bullmq' = 'postgres';

  /** Drafts not updated for this many days are archived by the nightly `posts.archive-drafts` cron. @default 90 */
  @EnvNumber()
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1 (day)' })
  @Max(36_500, { message: 'must be at most 36500 (days)' })
  ARCHIVE_DRAFTS_AFTER_DAYS: number = 90;

  /** Requests per minute per ip without a token (the security library's anonymous tier); 0 = off. @default 600 */
  @EnvNumber()
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must be 0 (off) or more' })
  @Max(1_000_000_000, { message: 'must be at most 1000000000' })
  RATE_LIMIT_ANONYMOUS: number = 600;

  /** Requests per minute per signed-in user (the authenticated tier); 0 = off. @default 6000 */
  @EnvNumber()
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must be 0 (off) or more' })
  @Max(1_000_000_000, { message: 'must be at most 1000000000' })
  RATE_LIMIT_AUTHENTICATED: number = 6000;
}
