import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { getMetadataArgsStorage } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { CreateProductDto, UpdateProductDto } from './dto/product.dto.js';
import { Product } from './product.entity.js';

const valid = { name: 'name 1', price: 10.5, stock: 10, sku: 'sku 1' };

async function invalidProperties(type: new () => object, input: object): Promise<string[]> {
  return (await validate(plainToInstance(type, input))).map((error) => error.property);
}

describe('CreateProductDto', () => {
  it('accepts a complete product', async () => {
    expect(await invalidProperties(CreateProductDto, valid)).toEqual([]);
  });

  it.each([
    ['name', 42],
    ['price', 'cheap'],
    ['stock', 'many'],
    ['sku', 42],
  ])('refuses %s of the wrong type', async (field, value) => {
    expect(await invalidProperties(CreateProductDto, { ...valid, [field]: value })).toEqual([field]);
  });

  it.each(['name', 'price', 'stock', 'sku'])('requires %s', async (field) => {
    const input: Record<string, unknown> = { ...valid };
    delete input[field];
    expect(await invalidProperties(CreateProductDto, input)).toEqual([field]);
  });
});

describe('UpdateProductDto', () => {
  it('accepts any subset of the fields', async () => {
    expect(await invalidProperties(UpdateProductDto, {})).toEqual([]);
    expect(await invalidProperties(UpdateProductDto, { name: valid.name })).toEqual([]);
  });
});

describe('Product', () => {
  it('maps every field to a column of products', () => {
    const columns = getMetadataArgsStorage()
      .filterColumns(Product)
      .map((column) => column.propertyName);
    expect(columns).toEqual(expect.arrayContaining(['name', 'price', 'stock', 'sku']));
    expect(getMetadataArgsStorage().tables.find((table) => table.target === Product)?.name).toBe('products');
  });
});
