import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoInstance } from 'pino';
import type { RequestContext } from '@kwik/core';
import { DEFAULT_REDACT_PATHS } from './logging.constants.js';
import { ChunkingStream } from './internal/chunking.stream.js';
import { RequestLogWriter } from './request-log.writer.js';
import type { LoggingModuleOptions } from './logging-options.interface.js';

/** What {@link createPino} needs besides the options. */
export interface PinoInputs {
  level: string;
  nodeEnv: string;
  context?: RequestContext;
}

/**
 * Builds the loggers: the root pino logger — JSON lines with ISO time, redaction, and a mixin that stamps
 * `requestId`, `userId`, `tenantId` and `ip` from the request context on every line — read
 * at the moment of the call, so what a guard adds shows up on every later line — and the writer of
 * the per-request completion line, on the same destination.
 */
export async function createPino(options: LoggingModuleOptions, inputs: PinoInputs): Promise<KwikLoggers> {
  const context = inputs.context;
  const owned = options.destination ? undefined : await defaultDestination(options, inputs.nodeEnv);
  const destination = options.destination ?? owned!.stream;
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
  return {
    root,
    requestLog: new RequestLogWriter(root, destination, base),
    close: owned?.close ?? (() => {}),
  };
}

/** What the logging module logs through. */
export interface KwikLoggers {
  /** Everything the app logs: redacted, stamped with the request context. */
  root: PinoInstance;
  /** The one completion line per request (same destination and shape, without pino's overhead). */
  requestLog: RequestLogWriter;
  /** Writes out what the default destination buffered (a no-op for a given destination). */
  close(): void;
}

/** How often buffered stdout lines are flushed at the latest. */
const FLUSH_INTERVAL_MS = 200;

/**
 * stdout, written in chunks of about 4 KiB (one synchronous write each: no thread-pool round
 * trip on the request's core) and at least every 200 ms; pino
 * flushes what is buffered when the process exits. Pretty (TTY) output is written as it comes.
 */
async function defaultDestination(
  options: LoggingModuleOptions,
  nodeEnv: string,
): Promise<{ stream: DestinationStream; close(): void }> {
  const pretty = options.pretty ?? (Boolean(process.stdout.isTTY) && nodeEnv !== 'production');
  if (pretty) {
    const { default: pinoPretty } = await import('pino-pretty');
    const stream = pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    return { stream, close: () => {} };
  }
  const stream = new ChunkingStream(pino.destination({ fd: 1, sync: true }));
  // Unref'd: it never keeps the process alive, and keeps flushing lines logged after shutdown.
  setInterval(() => stream.flush(), FLUSH_INTERVAL_MS).unref();
  return { stream, close: () => stream.flushSync() };
}
