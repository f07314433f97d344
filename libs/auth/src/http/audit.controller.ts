import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditLog } from '../audit/audit-log.service.js';
import type { AuthAuditEvent } from '../entities/audit-event.entity.js';
import type { AuthPrincipal } from '../access/auth-principal.js';
import { ApiAuthenticated, CurrentUser, HasPermission } from '../decorators/auth.decorators.js';
import { AuditQueryDto } from './auth.dto.js';

/** The audit log (`/auth/audit`, permission `audit:read`), newest first. */
@ApiTags('auth')
@ApiAuthenticated()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @HasPermission('audit:read')
  async list(
    @CurrentUser() principal: AuthPrincipal,
    @Query() query: AuditQueryDto,
  ): Promise<{ data: AuthAuditEvent[] }> {
    // An organization's admins see their organization's events only.
    return {
      data: await this.audit.query({
        ...query,
        ...(principal.tenantId ? { tenantId: principal.tenantId } : {}),
      }),
    };
  }
}
