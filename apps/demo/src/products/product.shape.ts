import { defineShape } from '@kwik/data';
import { Product } from './product.entity.js';

/** What clients may do with `GET /api/products`: fields, filters, sorts, page sizes. */
export const ProductShape = defineShape(Product, {
  name: 'products',
  fields: ['id', 'name', 'price', 'stock', 'sku', 'createdAt', 'updatedAt', 'version'],
  filter: {
    name: 'text',
    price: 'comparable',
    stock: 'comparable',
    sku: 'text',
    createdAt: 'comparable',
    updatedAt: 'comparable',
  },
  sort: ['name', 'price', 'stock', 'sku', 'createdAt', 'updatedAt'],
  defaultSort: '-createdAt',
  limit: { default: 20, max: 100 },
});
