import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@acme.test' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'kwik-demo-pass' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class RegisterDto extends LoginDto {
  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 100)
  displayName!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

/** A TOTP code or a one-time recovery code (`POST mfa/disable`; the code of `mfa/challenge`). */
export class MfaDisableDto {
  @ApiProperty({ description: 'A 6-digit TOTP code or a recovery code', example: '123456' })
  @IsString()
  @Length(6, 40)
  code!: string;
}

export class MfaChallengeDto extends MfaDisableDto {
  @ApiProperty({ description: 'The `mfaToken` of the login answer' })
  @IsString()
  @MaxLength(4096)
  mfaToken!: string;
}

export class MfaCodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of the authenticator app' })
  code!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI deploy' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: ['posts:read'], type: [String] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^(\*|[a-z][\w-]*:(\*|[a-z][\w-]*)(:own)?)$/, {
    each: true,
    message: 'each scope must be a permission like posts:read',
  })
  scopes!: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  expiresAt?: Date;
}

export class UuidParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  id!: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) type?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsString() @MaxLength(64) actorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) subject?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  since?: Date;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(500)
  limit?: number;
}
