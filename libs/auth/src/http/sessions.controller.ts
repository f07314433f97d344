import { Controller, Delete, Get, HttpCode, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthPrincipal } from '../access/auth-principal.js';
import { ApiAuthenticated, CurrentUser } from '../decorators/auth.decorators.js';
import { AuthService } from '../login/auth.service.js';
import { SessionService } from '../sessions/session.service.js';
import { UuidParams } from './auth.dto.js';

/** The current user's sessions (`/auth/sessions`). */
@ApiTags('auth')
@ApiAuthenticated()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @ApiOkResponse({
    description: '`{ data: [{ id, createdAt, lastUsedAt, expiresAt, ip, userAgent, mfa, current }] }`',
  })
  async list(@CurrentUser() principal: AuthPrincipal): Promise<{ data: Record<string, unknown>[] }> {
    const rows = await this.sessions.active(principal.id);
    return {
      data: rows.map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        expiresAt: s.expiresAt,
        ip: s.ip,
        userAgent: s.userAgent,
        mfa: s.mfa,
        current: s.id === principal.sessionId,
      })),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentUser() principal: AuthPrincipal, @Param() { id }: UuidParams): Promise<void> {
    if (!(await this.auth.logout(principal.id, id, 'revoked')))
      throw new NotFoundException(`You have no session ${id}.`);
  }
}
