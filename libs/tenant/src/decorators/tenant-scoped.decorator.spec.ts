import { Column, Entity, PrimaryGeneratedColumn, getMetadataArgsStorage } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { TenantScoped, tenantScopeOf } from './tenant-scoped.decorator.js';

const columnsOf = (target: Function, property: string) =>
  getMetadataArgsStorage()
    .filterColumns(target)
    .filter((c) => c.propertyName === property);
const indexedOn = (target: Function, property: string) =>
  getMetadataArgsStorage()
    .filterIndices(target)
    .some((i) => (typeof i.columns === 'function' ? [] : (i.columns ?? [])).includes(property));

describe('@TenantScoped()', () => {
  it('gives an entity without a tenant column an indexed uuid tenantId column', () => {
    @TenantScoped()
    @Entity('spec_auto')
    class Auto {
      @PrimaryGeneratedColumn('uuid') id!: string;
    }
    const [column] = columnsOf(Auto, 'tenantId');
    expect(column?.options.type).toBe('uuid');
    expect(indexedOn(Auto, 'tenantId')).toBe(true);
    expect(tenantScopeOf(Auto)).toEqual({ property: 'tenantId' });
  });

  it('keeps a declared tenant column as declared (no second column, no extra index)', () => {
    @TenantScoped()
    @Entity('spec_declared')
    class Declared {
      @PrimaryGeneratedColumn('uuid') id!: string;
      @Column({ type: 'uuid', comment: 'mine' }) tenantId!: string;
    }
    expect(columnsOf(Declared, 'tenantId')).toHaveLength(1);
    expect(columnsOf(Declared, 'tenantId')[0]!.options.comment).toBe('mine');
    expect(indexedOn(Declared, 'tenantId')).toBe(false);
  });

  it('uses the property it is told to', () => {
    @TenantScoped({ property: 'orgId' })
    @Entity('spec_org')
    class Org {
      @PrimaryGeneratedColumn('uuid') id!: string;
    }
    expect(columnsOf(Org, 'orgId')).toHaveLength(1);
    expect(columnsOf(Org, 'tenantId')).toHaveLength(0);
    expect(tenantScopeOf(Org)).toEqual({ property: 'orgId' });
  });

  it('is not fooled by non-entities', () => {
    expect(tenantScopeOf(class Plain {})).toBeUndefined();
    expect(tenantScopeOf('posts')).toBeUndefined();
    expect(tenantScopeOf(undefined)).toBeUndefined();
  });
});
