import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsInt, IsNumber, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** The body of `POST /api/products` (and of bulk `create` items). */
export class CreateProductDto {
  @ApiProperty({ type: 'string', maxLength: 255 })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name!: string;

  @ApiProperty({ type: 'number', multipleOf: 0.01 })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(-9_999_999_999.99)
  @Max(9_999_999_999.99)
  price!: number;

  @ApiProperty({ type: 'integer' })
  @IsInt()
  @Min(-2_147_483_648)
  @Max(2_147_483_647)
  stock!: number;

  @ApiProperty({ type: 'string', maxLength: 255 })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  sku!: string;
}

/** The body of `PATCH /api/products/:id`: any subset of the create fields. */
export class UpdateProductDto extends PartialType(CreateProductDto) {}

/** One product as clients receive it. */
export class ProductView {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'string', format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ type: 'string', maxLength: 255 })
  name!: string;

  @ApiProperty({ type: 'number', multipleOf: 0.01 })
  price!: number;

  @ApiProperty({ type: 'integer' })
  stock!: number;

  @ApiProperty({ type: 'string', maxLength: 255 })
  sku!: string;

  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: 'integer', description: 'Changes with every write; the ETag is `"<version>"`.' })
  version!: number;
}
