import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessControl } from '@kwik/auth';
import { CrudHooks } from '@kwik/data';
import { TenantContext, tenantCrudHook } from '@kwik/tenant';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';
import { Product } from './product.entity.js';

/** Products: the entity, the HTTP resource at `/api/products` and a service for other modules. */
@Module({
  imports: [TypeOrmModule.forFeature([Product])],
  controllers: [ProductsController],
  providers: [ProductsService],
  exports: [ProductsService],
})
export class ProductsModule {
  constructor(hooks: CrudHooks, access: AccessControl, tenants: TenantContext) {
    // `product:read` for list and get, `product:create`, `product:update`, `product:delete` (`product:*` for all).
    hooks.register(access.crudHook({ resource: 'product', entities: ['Product'] }));
    // Every @TenantScoped() resource: reads limited to the request's tenant, new rows stamped with it.
    hooks.register(tenantCrudHook(() => tenants.current?.id));
  }
}
