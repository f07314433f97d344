import { Logger } from '@nestjs/common';
import { AbstractLogger, type LogLevel, type LogMessage, type QueryRunner } from 'typeorm';

/** Sends TypeORM's log lines (as filtered by the `logging` option) to the Nest logger, context `Database`. */
export class NestTypeOrmLogger extends AbstractLogger {
  private readonly logger = new Logger('Database');

  protected override writeLog(
    level: LogLevel,
    logMessage: LogMessage | string | number | (LogMessage | string | number)[],
    queryRunner?: QueryRunner,
  ): void {
    for (const message of this.prepareLogMessages(logMessage, { highlightSql: false }, queryRunner)) {
      const text = message.prefix ? `${message.prefix} ${String(message.message)}` : String(message.message);
      switch (message.type ?? level) {
        case 'error':
        case 'query-error':
          this.logger.error(text);
          break;
        case 'warn':
        case 'query-slow':
          this.logger.warn(text);
          break;
        case 'query':
        case 'schema':
        case 'schema-build':
          this.logger.debug(text);
          break;
        default:
          this.logger.log(text);
      }
    }
  }
}
