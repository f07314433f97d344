import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestContext, TenantOptional } from '@kwik/core';
import type { AuthPrincipal } from '../access/auth-principal.js';
import { ApiAuthenticated, CurrentUser, Public } from '../decorators/auth.decorators.js';
import { AuthService, type LoginResult } from '../login/auth.service.js';
import type { SessionOrigin } from '../sessions/session.service.js';
import type { TokenPair } from '../tokens/token.service.js';
import { UserAccounts } from '../users/user-accounts.service.js';
import { LoginDto, MfaChallengeDto, RefreshDto, RegisterDto } from './auth.dto.js';
import { forbidden } from '../auth.problems.js';
import { Inject } from '@nestjs/common';
import { AUTH_SETTINGS } from '../auth.constants.js';
import type { AuthSettings } from '../auth-settings.js';

/** Sign-in, refresh, logout, registration and the current user (`/auth/...`). */
@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly auth: AuthService,
    private readonly users: UserAccounts,
    private readonly context: RequestContext,
  ) {}

  @Public()
  @TenantOptional()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: a token pair, or `{ mfaRequired, mfaToken }` when MFA is on' })
  login(@Body() dto: LoginDto, @Headers('user-agent') userAgent?: string): Promise<LoginResult> {
    return this.auth.login(dto.email, dto.password, this.origin(userAgent));
  }

  @Public()
  @TenantOptional()
  @Post('mfa/challenge')
  @HttpCode(200)
  @ApiOperation({ summary: 'The MFA step of sign-in: the login `mfaToken` plus a TOTP or recovery code' })
  challenge(@Body() dto: MfaChallengeDto, @Headers('user-agent') userAgent?: string): Promise<TokenPair> {
    return this.auth.challenge(dto.mfaToken, dto.code, this.origin(userAgent));
  }

  @Public()
  @TenantOptional()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new token pair; the refresh token presented is spent (reuse revokes the session)',
  })
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account (default roles) and sign it in' })
  async register(
    @Body() dto: RegisterDto,
    @Headers('user-agent') userAgent?: string,
  ): Promise<TokenPair & { user: Record<string, unknown> }> {
    if (!this.settings.registration) throw forbidden('Registration is closed.');
    const { user, tokens } = await this.auth.register(dto, this.origin(userAgent));
    return {
      ...tokens,
      user: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles },
    };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'End this session (its refresh and access tokens stop working at once)' })
  async logout(@CurrentUser() principal: AuthPrincipal): Promise<void> {
    if (principal.sessionId) await this.auth.logout(principal.id, principal.sessionId);
  }

  @Post('logout-all')
  @HttpCode(200)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'End every session of the current user' })
  async logoutAll(@CurrentUser() principal: AuthPrincipal): Promise<{ revoked: number }> {
    return { revoked: await this.auth.logoutEverywhere(principal.id) };
  }

  @Get('me')
  @ApiAuthenticated()
  @ApiOkResponse({ description: '`{ id, email, displayName, roles, permissions, tenant }`' })
  async me(@CurrentUser() principal: AuthPrincipal): Promise<Record<string, unknown>> {
    const user = await this.users.byId(principal.id);
    if (!user) throw new NotFoundException('The account no longer exists.');
    const tenant = this.context.tenant ?? (principal.tenantId ? { id: principal.tenantId } : null);
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      roles: principal.roles,
      permissions: principal.permissions,
      tenant,
      ...(principal.kind === 'api-key'
        ? { apiKey: { id: principal.apiKeyId, scopes: principal.scopes } }
        : {}),
    };
  }

  private origin(userAgent: string | undefined): SessionOrigin {
    return { ip: this.context.ip ?? null, userAgent: userAgent ?? null };
  }
}
