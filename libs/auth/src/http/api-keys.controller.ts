import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { AuthPrincipal } from '../access/auth-principal.js';
import { ApiKeyService, type ApiKeyView } from '../api-keys/api-key.service.js';
import { forbidden } from '../auth.problems.js';
import { ApiAuthenticated, CurrentUser } from '../decorators/auth.decorators.js';
import { CreateApiKeyDto, UuidParams } from './auth.dto.js';

/** The current user's API keys (`/auth/api-keys`); only a signed-in user (not a key) manages keys. */
@ApiTags('auth')
@ApiAuthenticated()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiCreatedResponse({
    description: '`{ id, key, prefix, scopes, expiresAt }` — the key is shown only here',
  })
  create(
    @CurrentUser() principal: AuthPrincipal,
    @Body() dto: CreateApiKeyDto,
  ): Promise<ApiKeyView & { key: string }> {
    this.userOnly(principal);
    return this.keys.create(principal, dto);
  }

  @Get()
  async list(@CurrentUser() principal: AuthPrincipal): Promise<{ data: ApiKeyView[] }> {
    return { data: await this.keys.list(principal.id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentUser() principal: AuthPrincipal, @Param() { id }: UuidParams): Promise<void> {
    this.userOnly(principal);
    if (!(await this.keys.revoke(principal.id, id)))
      throw new NotFoundException(`You have no API key ${id}.`);
  }

  private userOnly(principal: AuthPrincipal): void {
    if (principal.kind !== 'user')
      throw forbidden('API keys are managed with a signed-in session, not with an API key.');
  }
}
