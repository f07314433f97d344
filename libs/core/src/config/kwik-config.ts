import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { EnvNumber } from './env-transforms.js';

/** Log levels accepted by `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The environment every Kwik app reads. Extend it with your own variables and pass your class
 * to `KwikModule.forRoot({ config })`; inject either class to read the validated, frozen values.
 *
 * @example
 * export class AppConfig extends KwikConfig {
 *   @IsString() STRIPE_KEY!: string;
 * }
 */
export class KwikConfig {
  /** HTTP port. @default 3000 */
  @EnvNumber()
  @IsInt({ message: 'must be an integer between 0 and 65535' })
  @Min(0, { message: 'must be an integer between 0 and 65535' })
  @Max(65535, { message: 'must be an integer between 0 and 65535' })
  PORT: number = 3000;

  /** Interface to listen on. @default '127.0.0.1' */
  @IsString()
  HOST: string = '127.0.0.1';

  /** @default 'development' */
  @IsIn(['development', 'production', 'test'], { message: 'must be one of development, production, test' })
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** @default 'info' */
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** PostgreSQL server URL; absent: the embedded PGlite database. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Redis URL; absent: in-process stores. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * The app's secret (at least 32 characters): libraries derive their signing keys from it (the
   * data library's cursors, the auth library's JWT key and sealed TOTP secrets). Required in production by the libraries that sign;
   * outside production they fall back to a random per-process secret. Generate one with
   * `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (generate one: openssl rand -base64 32)' })
  APP_SECRET?: string;

  /** How long a shutdown waits for in-flight requests before closing their connections. @default 10000 */
  @EnvNumber()
  @IsInt({ message: 'must be a whole number of milliseconds (0 or more)' })
  @Min(0, { message: 'must be a whole number of milliseconds (0 or more)' })
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  /**
   * How long a shutdown keeps serving with `/health/ready` at 503 before it stops accepting, so a
   * load balancer can take the instance out first (set it to the probe interval in Kubernetes). @default 0
   */
  @EnvNumber()
  @IsInt({ message: 'must be a whole number of milliseconds (0 or more)' })
  @Min(0, { message: 'must be a whole number of milliseconds (0 or more)' })
  SHUTDOWN_DELAY_MS: number = 0;
}
