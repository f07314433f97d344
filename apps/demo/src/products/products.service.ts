import { Injectable } from '@nestjs/common';
import { TransactionManager } from '@kwik/database';
import type { Repository } from 'typeorm';
import { Product } from './product.entity.js';

/**
 * Products for the rest of the app: the HTTP resource is `ProductsController`; put
 * domain logic other modules call here.
 */
@Injectable()
export class ProductsService {
  constructor(private readonly transactions: TransactionManager) {}

  /** The products repository, in the ambient transaction (in a tenant's request, row-level security applies). */
  get repository(): Repository<Product> {
    return this.transactions.getRepository(Product);
  }

  /** One product by id, or null. */
  findById(id: string): Promise<Product | null> {
    return this.repository.findOneBy({ id });
  }
}
