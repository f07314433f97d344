export { LoggingModule } from './logging.module.js';
export { LOGGING_MODULE_OPTIONS } from './logging.module-definition.js';
export type { LoggingModuleOptions } from './logging-options.interface.js';
export { DEFAULT_REDACT_PATHS, KWIK_PINO } from './logging.constants.js';
export { createPino, type KwikLoggers, type PinoInputs } from './create-pino.js';
export { RequestLogWriter, type CompletionFields } from './request-log.writer.js';
