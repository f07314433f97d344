import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ReadinessRegistry } from '../health/readiness.registry.js';

const logger = new Logger('Kwik');

/**
 * Stops the app gracefully: `/health/ready` turns 503 (and, after `delayMs`, requests on open
 * connections get a 503 problem with `Connection: close`), the server stops accepting, in-flight
 * requests finish (up to `timeoutMs`, after which their connections are closed), then
 * `onApplicationShutdown` hooks close database and Redis connections.
 */
export async function shutdownKwikApp(
  app: NestFastifyApplication,
  options: { timeoutMs: number; delayMs?: number; signal?: string },
): Promise<void> {
  const registry = app.get(ReadinessRegistry, { strict: false });
  registry.markDraining();
  const on = options.signal ? ` on ${options.signal}` : '';
  if (options.delayMs) {
    // Keep serving while load balancers notice /health/ready turned 503.
    logger.log(`Shutting down${on}: readiness is 503, closing in ${options.delayMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  }
  registry.markClosing();
  logger.log(`Shutting down${on}: draining in-flight requests`);
  const server = app.getHttpServer() as import('node:http').Server;
  const force = setTimeout(() => {
    logger.warn(`In-flight requests still open after ${options.timeoutMs} ms; closing their connections`);
    server.closeAllConnections();
  }, options.timeoutMs);
  force.unref();
  try {
    // Nest's close(signal) passes the signal on to the shutdown hooks; its public type omits it.
    await (app.close as (signal?: string) => Promise<void>).call(app, options.signal);
  } finally {
    clearTimeout(force);
  }
  logger.log('Shutdown complete');
}

/**
 * Installs SIGTERM / SIGINT handlers that run {@link shutdownKwikApp} once and let the process
 * exit 0. A second signal during shutdown exits at once with code 1.
 */
export function handleShutdownSignals(
  app: NestFastifyApplication,
  timing: { timeoutMs: number; delayMs?: number },
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.error(`Second ${signal} during shutdown: exiting now`);
      process.exit(1);
    }
    stopping = true;
    shutdownKwikApp(app, { ...timing, signal })
      .then(() => {
        process.exitCode = 0;
        remove();
        // Anything still holding the event loop open now is a leak; don't hang the deploy on it.
        setTimeout(() => {
          logger.warn('Open handles remain after shutdown; exiting');
          process.exit(0);
        }, 2000).unref();
      })
      .catch((error: unknown) => {
        logger.error(`Shutdown failed: ${(error as Error).message}`, (error as Error).stack);
        process.exit(1);
      });
  };
  const remove = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return remove;
}
