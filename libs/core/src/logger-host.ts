import { Injectable, type LoggerService } from '@nestjs/common';

/**
 * Where a logging library hands core the Nest `LoggerService` the app should use;
 * `createKwikApp()` switches the app's logger to it (the logging library does this for you).
 *
 * @example
 * constructor(host: KwikLoggerHost, logger: MyLogger) { host.use(logger); }
 */
@Injectable()
export class KwikLoggerHost {
  private current: LoggerService | undefined;

  use(logger: LoggerService): void {
    this.current = logger;
  }

  /** The logger a library registered, if any. */
  get logger(): LoggerService | undefined {
    return this.current;
  }
}
