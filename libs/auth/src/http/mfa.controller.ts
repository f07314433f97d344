import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthPrincipal } from '../access/auth-principal.js';
import { forbidden } from '../auth.problems.js';
import { ApiAuthenticated, CurrentUser } from '../decorators/auth.decorators.js';
import { MfaService, type MfaEnrollment } from '../mfa/mfa.service.js';
import { UserAccounts } from '../users/user-accounts.service.js';
import { MfaCodeDto, MfaDisableDto } from './auth.dto.js';

/** TOTP enrollment of the current user (`/auth/mfa/...`). */
@ApiTags('auth')
@ApiAuthenticated()
@Controller('mfa')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly users: UserAccounts,
  ) {}

  @Post('enroll')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ otpauthUrl, qrDataUrl, recoveryCodes }` — shown once' })
  async enroll(@CurrentUser() principal: AuthPrincipal): Promise<MfaEnrollment> {
    this.userOnly(principal);
    const user = await this.users.byId(principal.id);
    return this.mfa.enroll(principal.id, user?.email ?? principal.id);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ enabled: true }` once a code of the new authenticator was accepted' })
  async verify(@CurrentUser() principal: AuthPrincipal, @Body() dto: MfaCodeDto): Promise<{ enabled: true }> {
    this.userOnly(principal);
    await this.mfa.activate(principal.id, dto.code);
    return { enabled: true };
  }

  @Post('disable')
  @HttpCode(204)
  async disable(@CurrentUser() principal: AuthPrincipal, @Body() dto: MfaDisableDto): Promise<void> {
    this.userOnly(principal);
    await this.mfa.disable(principal.id, dto.code);
  }

  private userOnly(principal: AuthPrincipal): void {
    if (principal.kind !== 'user')
      throw forbidden('MFA is managed with a signed-in session, not with an API key.');
  }
}
