import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { POST_STATUSES, type PostStatus } from '../../entities/index.js';

export class CreatePostDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ maxLength: 100_000, description: 'The text of the post (API v1: `body`).' })
  @IsString()
  @MaxLength(100_000)
  content!: string;

  @ApiPropertyOptional({ enum: POST_STATUSES, default: 'draft' })
  @IsOptional()
  @IsIn(POST_STATUSES, { message: `status must be one of ${POST_STATUSES.join(', ')}` })
  status?: PostStatus;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    each: true,
    message: 'each tag must be lowercase letters, digits or dashes (max 40)',
  })
  tags?: string[];
}

export class UpdatePostDto extends PartialType(CreatePostDto) {}

export class PostIdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class CreateCommentDto {
  @ApiProperty({ maxLength: 10_000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  body!: string;
}
