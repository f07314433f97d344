import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { contextStoreOf } from '@kwik/core';
import type { FastifyRequest } from 'fastify';
import type { TenantRecord } from '../resolution/tenant-record.js';

/**
 * The request's tenant as a handler parameter (undefined on a `@TenantOptional()` route called
 * without one).
 *
 * @example
 * @Get('whoami') whoami(@CurrentTenant() tenant: TenantRecord) { return tenant.slug; }
 */
export const CurrentTenant = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): TenantRecord | undefined => {
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    return contextStoreOf(request.raw)?.tenant as TenantRecord | undefined;
  },
);
