import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated } from '@kwik/auth';
import { CrudController } from '@kwik/data';
import { CreateProductDto, ProductView, UpdateProductDto } from './dto/product.dto.js';
import { Product } from './product.entity.js';
import { ProductShape } from './product.shape.js';

/**
 * `/api/products`: the shaped list (filter, sort, fields, cursor pages, CSV), one item with its ETag,
 * create, PATCH and DELETE with `If-Match`, and `POST /api/products/bulk`, all from `@kwik/data`.
 * Needs `product:read` (list, get), `product:create`, `product:update` or `product:delete` (checked by the hook
 * ProductsModule registers; bulk items are checked one by one).
 * Override `prepareCreate`, `prepareUpdate` or `toView` for your own rules.
 */
@ApiTags('products')
@ApiAuthenticated()
@Controller('api/products')
export class ProductsController extends CrudController({
  entity: Product,
  shape: ProductShape,
  create: CreateProductDto,
  update: UpdateProductDto,
  view: ProductView,
  bulk: { maxItems: 100 },
}) {}
