import { Controller, Get, Inject, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { ProblemException } from '../errors/problem.exception.js';
import { KWIK_MODULE_OPTIONS } from '../kwik.module-definition.js';
import type { KwikModuleOptions } from '../kwik-options.interface.js';
import { Public } from '../http/public-route.decorator.js';
import { TenantOptional } from '../http/tenant-optional.decorator.js';
import { ReadinessRegistry } from './readiness.registry.js';

/**
 * `/health/ready`: every registered dependency answers. (`/health/live` is a plain Fastify route,
 * see `registerLivenessRoute`.)
 */
@ApiTags('health')
@Public()
@TenantOptional()
// Never under a version prefix (URI versioning): probes keep one address.
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  private readonly defaultTimeoutMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ReadinessRegistry,
    @Inject(KWIK_MODULE_OPTIONS) options: KwikModuleOptions,
  ) {
    this.defaultTimeoutMs = options.readinessTimeoutMs ?? 2000;
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down, or the app is shutting down' })
  async ready(): Promise<Record<string, unknown>> {
    if (this.registry.draining) {
      throw new ProblemException({
        status: 503,
        kind: 'service-unavailable',
        title: 'Service Unavailable',
        detail: 'The application is shutting down.',
        headers: { 'retry-after': '5' },
      });
    }
    const checks: HealthIndicatorFunction[] = this.registry.list().map(
      (c) => () =>
        this.indicators
          .check(c.name)
          .attempt(async ({ signal }) => {
            await c.check(signal);
          })
          .withTimeout(c.timeoutMs ?? this.defaultTimeoutMs),
    );
    try {
      const result = await this.health.check(checks);
      return { status: result.status, checks: result.details };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const report = error.getResponse() as {
        error?: Record<string, { message?: string }>;
        details?: unknown;
      };
      const down = Object.entries(report.error ?? {}).map(
        ([name, info]) => `${name}${info.message ? ` (${info.message})` : ''}`,
      );
      throw new ProblemException({
        status: 503,
        kind: 'service-unavailable',
        title: 'Service Unavailable',
        detail: `Not ready: ${down.join(', ') || 'a dependency'} is down.`,
        extensions: { checks: report.details },
        headers: { 'retry-after': '5' },
      });
    }
  }
}
