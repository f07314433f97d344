import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { TENANT_STATUSES, type TenantStatus } from '../entities/kwik-tenant.entity.js';
import { TENANT_SLUG } from '../tenancy-config.js';

/** Overrides of declared settings and feature flags (`null` restores a default). */
export class TenantSettingsDto {
  @ApiPropertyOptional({
    example: { maxPostsPerDay: 500 },
    description: 'Setting overrides; null restores the default',
  })
  @IsOptional()
  @IsObject()
  values?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: { comments: false },
    description: 'Feature flag overrides; null restores the default',
  })
  @IsOptional()
  @IsObject()
  features?: Record<string, boolean>;
}

/** `POST /tenants`. */
export class CreateTenantDto {
  @ApiProperty({ example: 'initech', description: 'Lower-case letters, digits, inner hyphens; ≤ 63' })
  @IsString()
  @Matches(TENANT_SLUG, {
    message: 'must be lower-case letters, digits and inner hyphens, at most 63 characters',
  })
  slug!: string;

  @ApiProperty({ example: 'Initech' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'pro', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 63)
  plan?: string | null;

  @ApiPropertyOptional({ type: TenantSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantSettingsDto)
  settings?: TenantSettingsDto;
}

/** `PATCH /tenants/:slug`. */
export class UpdateTenantDto {
  @ApiPropertyOptional({ example: 'Initech Ltd' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'enterprise', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 63)
  plan?: string | null;

  @ApiPropertyOptional({ enum: TENANT_STATUSES })
  @IsOptional()
  @IsIn(TENANT_STATUSES as unknown as string[])
  status?: TenantStatus;

  @ApiPropertyOptional({ type: TenantSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantSettingsDto)
  settings?: TenantSettingsDto;
}
