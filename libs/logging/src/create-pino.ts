import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoInstance } from 'pino';
import type { RequestContext } from '@kwik/core';
import { DEFAULT_REDACT_PATHS } from './logging.constants.js';
import { RequestLogWriter } from './request-log.writer.js';
import type { LoggingModuleOptions } from './logging-options.interface.js';

/** What {@link createPino} needs besides the options. */
export interface PinoInputs {
  level: string;
  nodeEnv: string;
  context?: RequestContext;
}

/**
 * Builds the root pino logger: JSON lines with ISO time, redaction, and a mixin that stamps
 * `requestId`, `userId`, `tenantId` and `ip` from the request context on every line — read
 * at the moment of the call, so what a guard adds shows up on every later line.
 */
export async function createPino(options: LoggingModuleOptions, inputs: PinoInputs): Promise<KwikLoggers> {
  const context = inputs.context;
  const destination = options.destination ?? (await defaultDestination(options, inputs.nodeEnv));
  const base = { pid: process.pid, ...options.base };
  const root = pino(
    {
      level: options.level ?? inputs.level,
      base,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
      redact: { paths: [...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
      mixin: context ? () => context.logFields() : undefined,
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
  return { root, requestLog: new RequestLogWriter(root, destination, base) };
}

/** The two pino instances of the logging module. */
export interface KwikLoggers {
  /** Everything the app logs: redacted, stamped with the request context. */
  root: PinoInstance;
  /** The one completion line per request (same destination and shape, without pino's overhead). */
  requestLog: RequestLogWriter;
}

async function defaultDestination(
  options: LoggingModuleOptions,
  nodeEnv: string,
): Promise<DestinationStream> {
  const pretty = options.pretty ?? (Boolean(process.stdout.isTTY) && nodeEnv !== 'production');
  if (!pretty) return pino.destination({ fd: 1, sync: false });
  const { default: pinoPretty } = await import('pino-pretty');
  return pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
