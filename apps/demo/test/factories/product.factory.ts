import { defineFactory } from '@kwik/testing';
import { Product } from '../../src/products/product.entity.js';

/**
 * Products for tests: `ProductFactory.make()` (not saved), `.create(app, { tenantId })`,
 * `.createMany(app, 5, { tenantId })` — for a tenant, inside
 * `TenantContext.run(slug, () => …)` (its schema or row-level security applies). Add states for your own cases.
 */
export const ProductFactory = defineFactory(Product, ({ sequence, faker }) => ({
  name: faker.commerce.productName(),
  price: Number(faker.commerce.price({ min: 1, max: 500 })),
  stock: faker.number.int({ min: 0, max: 1000 }),
  sku: `Product sku ${sequence}`,
}));
