import { fileURLToPath } from 'node:url';
import { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing';
import { HostTree } from '@angular-devkit/schematics';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseFields } from './fields.js';
import { parseArgs } from '../cli.js';

// The collection and its compiled factories (`npm run build` / `tsc -b schematics` first).
const collection = fileURLToPath(new URL('../../collection.json', import.meta.url));
const runner = new SchematicTestRunner('@kwik/schematics', collection);

interface AppOptions {
  auth?: boolean;
  tenancy?: boolean;
  cache?: boolean;
  esm?: boolean;
  registries?: boolean;
}

/** A minimal Nest project the way the demo lays one out (sourceRoot `apps/shop/src`). */
function project(options: AppOptions = {}): UnitTestTree {
  const { auth = true, tenancy = true, cache = true, esm = true, registries = true } = options;
  const tree = new UnitTestTree(new HostTree());
  tree.create('package.json', JSON.stringify({ name: 'shop', type: esm ? 'module' : 'commonjs' }));
  const imports = [
    "import { Module } from '@nestjs/common';",
    "import { KwikModule } from '@kwik/core';",
    ...(auth ? ["import { AuthModule } from '@kwik/auth';"] : []),
    ...(tenancy ? ["import { TenantModule } from '@kwik/tenant';"] : []),
    ...(cache ? ["import { CacheModule } from '@kwik/cache';"] : []),
  ];
  const modules = [
    'KwikModule.forRoot({})',
    ...(auth ? ['AuthModule.forRoot({})'] : []),
    ...(tenancy ? ['TenantModule.forRoot({})'] : []),
    ...(cache ? ['CacheModule.forRoot({})'] : []),
  ];
  tree.create(
    'apps/shop/src/app.module.ts',
    `${imports.join('\n')}\n\n@Module({\n  imports: [\n${modules.map((m) => `    ${m},`).join('\n')}\n  ],\n})\nexport class AppModule {}\n`,
  );
  if (registries) {
    tree.create(
      'apps/shop/src/migrations/index.ts',
      "import { Init1790000000000 } from './1790000000000-init.js';\n\nexport const MIGRATIONS = [\n  Init1790000000000,\n];\n",
    );
    tree.create('apps/shop/src/migrations/1790000000000-init.ts', 'export class Init1790000000000 {}\n');
    tree.create(
      'apps/shop/src/entities/index.ts',
      "import { User } from './user.entity.js';\n\nexport const ENTITIES = [User];\n",
    );
  }
  return tree;
}

async function generate(tree: UnitTestTree, options: Record<string, unknown> = {}): Promise<UnitTestTree> {
  return runner.runSchematic(
    'kwik-resource',
    {
      name: 'product',
      fields: 'name:string price:decimal stock:int:index sku:string:unique',
      sourceRoot: 'apps/shop/src',
      timestamp: 1796000000000,
      ...options,
    },
    tree,
  );
}

const snapshot = (tree: UnitTestTree): Record<string, string> =>
  Object.fromEntries(tree.files.map((path) => [path, tree.readContent(path)]));

describe('kwik-resource', () => {
  let tree: UnitTestTree;
  beforeEach(() => {
    tree = project();
  });

  it('writes the entity, shape, DTOs, service, controller, module, migrations, factory and specs', async () => {
    const before = [...tree.files];
    const out = await generate(tree);
    const written = out.files.filter((path) => !before.includes(path)).sort();
    expect(written).toEqual(
      [
        '/apps/shop/src/migrations/1796000000000-create-products.ts',
        '/apps/shop/src/products/dto/product.dto.ts',
        '/apps/shop/src/products/product.entity.ts',
        '/apps/shop/src/products/product.shape.ts',
        '/apps/shop/src/products/products.controller.ts',
        '/apps/shop/src/products/products.module.ts',
        '/apps/shop/src/products/products.service.ts',
        '/apps/shop/src/products/products.spec.ts',
        '/apps/shop/test/factories/product.factory.ts',
        '/apps/shop/test/products.e2e-spec.ts',
      ].sort(),
    );
  });

  it('maps each field type to a column, validators and a shape declaration', async () => {
    const out = await generate(tree, {
      fields:
        'title:string body:text:optional qty:int price:decimal ratio:number on:boolean day:date at:datetime ref:uuid',
    });
    const entity = out.readContent('/apps/shop/src/products/product.entity.ts');
    expect(entity).toContain("@Column({ type: 'varchar', length: 255 })\n  title!: string;");
    expect(entity).toContain("@Column({ type: 'text', nullable: true })\n  body!: string | null;");
    expect(entity).toContain("@Column({ type: 'integer' })\n  qty!: number;");
    expect(entity).toContain("type: 'numeric', precision: 12, scale: 2, transformer: DECIMAL");
    expect(entity).toContain("@Column({ type: 'double precision' })\n  ratio!: number;");
    expect(entity).toContain("@Column({ type: 'boolean' })\n  on!: boolean;");
    expect(entity).toContain("@Column({ type: 'date' })\n  day!: string;");
    expect(entity).toContain("@Column({ type: 'timestamptz' })\n  at!: Date;");
    expect(entity).toContain("@Column({ type: 'uuid' })\n  ref!: string;");
    const dto = out.readContent('/apps/shop/src/products/dto/product.dto.ts');
    expect(dto).toMatch(/@IsOptional\(\)\s+@IsString\(\)\s+@MaxLength\(100_000\)\s+body\?: string \| null;/);
    expect(dto).toMatch(/@IsInt\(\)[\s\S]*qty!: number;/);
    expect(dto).toContain('export class UpdateProductDto extends PartialType(CreateProductDto) {}');
    expect(dto).toContain('export class ProductView {');
    const shape = out.readContent('/apps/shop/src/products/product.shape.ts');
    expect(shape).toContain("title: 'text'");
    expect(shape).toContain("qty: 'comparable'");
    expect(shape).toContain("on: 'equality'");
    expect(shape).toContain("ref: 'equality'");
    expect(shape).toMatch(/sort: \[[^\]]*'title'[^\]]*\]/);
    expect(shape).not.toMatch(/sort: \[[^\]]*'body'[^\]]*\]/);
  });

  it('registers the module, the entity and the migration, and a second run changes nothing', async () => {
    const once = await generate(tree);
    const app = once.readContent('/apps/shop/src/app.module.ts');
    expect(app).toContain("import { ProductsModule } from './products/products.module.js';");
    expect(app).toMatch(/imports: \[[\s\S]*ProductsModule,?\s*\]/);
    expect(once.readContent('/apps/shop/src/entities/index.ts')).toContain(
      "import { Product } from '../products/product.entity.js';",
    );
    expect(once.readContent('/apps/shop/src/entities/index.ts')).toContain('[User, Product]');
    expect(once.readContent('/apps/shop/src/migrations/index.ts')).toMatch(
      /\[\s*Init1790000000000,\s*CreateProducts1796000000000,?\s*\]/,
    );
    const before = snapshot(once);
    // Another run, another clock: the earlier migration is found and kept.
    const twice = await generate(once, { timestamp: 1797000000000 });
    expect(snapshot(twice)).toEqual(before);
  });

  it('never overwrites a file without --force', async () => {
    tree.create('/apps/shop/src/products/products.service.ts', '// mine\n');
    const kept = await generate(tree);
    expect(kept.readContent('/apps/shop/src/products/products.service.ts')).toBe('// mine\n');
    const forced = await generate(kept, { force: true });
    expect(forced.readContent('/apps/shop/src/products/products.service.ts')).toContain(
      'export class ProductsService',
    );
  });

  it('--force never rewrites a migration (it may have run already)', async () => {
    const once = await generate(tree);
    const path = '/apps/shop/src/migrations/1796000000000-create-products.ts';
    once.overwrite(path, '// ran in production\n');
    const forced = await generate(once, { force: true, fields: 'name:string' });
    expect(forced.readContent(path)).toBe('// ran in production\n');
    expect(forced.readContent('/apps/shop/src/products/product.entity.ts')).not.toContain('price');
  });

  it('refuses an option it does not know (a typo is not ignored)', async () => {
    await expect(generate(tree, { noAtuh: true })).rejects.toThrow(
      /must NOT have additional properties|noAtuh/,
    );
  });

  it('--auth forces permission checks in an app whose module does not import AuthModule', async () => {
    const out = await generate(project({ auth: false }), { auth: true });
    expect(out.readContent('/apps/shop/src/products/products.controller.ts')).toContain(
      '@ApiAuthenticated()',
    );
  });

  it('with auth: product:* permissions through the CRUD hook; the e2e spec signs users in', async () => {
    const out = await generate(tree);
    expect(out.readContent('/apps/shop/src/products/products.module.ts')).toContain(
      "hooks.register(access.crudHook({ resource: 'product', entities: ['Product'] }));",
    );
    expect(out.readContent('/apps/shop/src/products/products.controller.ts')).toContain(
      '@ApiAuthenticated()',
    );
    const e2e = out.readContent('/apps/shop/test/products.e2e-spec.ts');
    expect(e2e).toMatch(/createAuthTestUser\(t, \{\s*permissions: \['product:\*'\]/);
    expect(e2e).toContain('.expectProblem(403)');
  });

  it('--no-auth: public routes, no permission hook, anonymous e2e calls', async () => {
    const out = await generate(tree, { auth: false });
    const controller = out.readContent('/apps/shop/src/products/products.controller.ts');
    expect(controller).toContain('@Public()');
    expect(controller).not.toContain('@kwik/auth');
    expect(out.readContent('/apps/shop/src/products/products.module.ts')).not.toContain('AccessControl');
    const e2e = out.readContent('/apps/shop/test/products.e2e-spec.ts');
    expect(e2e).not.toContain('createAuthTestUser');
    expect(e2e).toContain("api.post('/api/products'");
  });

  it('an app without AuthModule gets public routes without being asked', async () => {
    const out = await generate(project({ auth: false }));
    expect(out.readContent('/apps/shop/src/products/products.controller.ts')).toContain('@Public()');
  });

  it('tenant-scoped by default when the app has TenantModule: tenantId, indexes led by it, row-level security', async () => {
    const out = await generate(tree);
    const entity = out.readContent('/apps/shop/src/products/product.entity.ts');
    expect(entity).toContain('@TenantScoped()');
    expect(entity).toContain("@Index('UQ_products_sku', ['tenantId', 'sku'], { unique: true })");
    const migration = out.readContent('/apps/shop/src/migrations/1796000000000-create-products.ts');
    expect(migration).toContain('"tenantId" uuid NOT NULL');
    expect(migration).toContain("enableTenantRlsSql('products', 'tenantId')");
    expect(migration).toContain("disableTenantRlsSql('products')");
    expect(out.readContent('/apps/shop/src/products/products.module.ts')).toContain('tenantCrudHook(');
  });

  it('--no-tenant-scoped: a shared table', async () => {
    const out = await generate(tree, { tenantScoped: false });
    const entity = out.readContent('/apps/shop/src/products/product.entity.ts');
    expect(entity).not.toContain('tenantId');
    expect(out.readContent('/apps/shop/src/migrations/1796000000000-create-products.ts')).not.toContain(
      'RlsSql',
    );
  });

  it('a tenant migration as well when the app keeps per-schema migrations', async () => {
    tree.create('/apps/shop/src/migrations/tenant/index.ts', 'export const TENANT_MIGRATIONS = [];\n');
    const out = await generate(tree);
    expect(
      out.readContent('/apps/shop/src/migrations/tenant/1796000000001-create-tenant-products.ts'),
    ).toContain('export class CreateTenantProducts1796000000001');
    expect(out.readContent('/apps/shop/src/migrations/tenant/index.ts')).toContain(
      '[CreateTenantProducts1796000000001]',
    );
  });

  it('--cache: cached reads vary by tenant and user, writes evict the tag', async () => {
    const out = await generate(tree, { cache: true });
    const controller = out.readContent('/apps/shop/src/products/products.controller.ts');
    expect(controller).toContain("Cache({ ttl: '30s', vary: ['tenant', 'user'], tags: ['products'] })");
    expect(controller).toMatch(/delete: \[EVICTS\]/);
  });

  it.each([
    [{ tenantScoped: true }, { tenancy: false }, /--tenant-scoped needs TenantModule/],
    [{ cache: true }, { cache: false }, /--cache needs CacheModule/],
  ])('refuses %o in an app without the library: %o', async (options, app, message) => {
    await expect(generate(project(app), options)).rejects.toThrow(message);
  });

  it.each([
    ['price:money', /unknown type "money"; use one of string, text, int/],
    ['Price:int', /the name must be camelCase/],
    ['id:uuid', /"id" is reserved/],
    ['name', /has no type: write name:<type>/],
    ['sku:string:unique:optional', /a unique field cannot be optional/],
    ['stock:int:indexed', /unknown modifier "indexed"; use optional, index, unique/],
    ['name:string name:text', /"name" is given twice/],
  ])('refuses the field list "%s"', async (fields, message) => {
    await expect(generate(tree, { fields })).rejects.toThrow(message);
  });

  it('refuses a name that is not one', async () => {
    await expect(generate(tree, { name: 'name:string' })).rejects.toThrow(/looks like a field/);
    await expect(generate(tree, { name: '9lives' })).rejects.toThrow(/is not a resource name/);
  });

  it('takes the fields from the path slot (nest g passes only <name> [path]), comma-separated', async () => {
    const out = await generate(tree, { fields: undefined, path: 'name:string,stock:int:index' });
    const entity = out.readContent('/apps/shop/src/products/product.entity.ts');
    expect(entity).toContain('stock!: number;');
    expect(entity).toContain("@Index('IDX_products_stock', ['tenantId', 'stock'])");
  });

  it('defaults to one name:string field', async () => {
    const out = await generate(tree, { fields: undefined });
    expect(out.readContent('/apps/shop/src/products/product.entity.ts')).toContain('name!: string;');
  });

  it('names multi-word resources: class, table, route, permission', async () => {
    const out = await generate(tree, { name: 'order-item', fields: 'quantity:int' });
    expect(out.readContent('/apps/shop/src/order-items/order-item.entity.ts')).toContain(
      "@Entity('order_items')\n",
    );
    const controller = out.readContent('/apps/shop/src/order-items/order-items.controller.ts');
    expect(controller).toContain("@Controller('api/order-items')");
    expect(controller).toContain('export class OrderItemsController extends CrudController({');
    expect(out.readContent('/apps/shop/src/order-items/order-items.module.ts')).toContain(
      "resource: 'order-item', entities: ['OrderItem']",
    );
  });

  it('a CommonJS project gets imports without .js; an app without registries is told what to register', async () => {
    const logs: string[] = [];
    runner.logger.subscribe((entry) => logs.push(entry.message));
    const out = await generate(project({ esm: false, registries: false }));
    expect(out.readContent('/apps/shop/src/app.module.ts')).toContain(
      "import { ProductsModule } from './products/products.module';",
    );
    expect(logs.join('\n')).toMatch(/add CreateProducts1796000000000 to your data source's migrations/);
  });

  it("reads the module system from the app's own package.json in a monorepo", async () => {
    const cjsRoot = project({ esm: false });
    cjsRoot.create('apps/shop/package.json', JSON.stringify({ name: 'shop', type: 'module' }));
    const out = await generate(cjsRoot);
    expect(out.readContent('/apps/shop/src/app.module.ts')).toContain(
      "import { ProductsModule } from './products/products.module.js';",
    );
  });

  it('dates a new migration after the newest one', async () => {
    tree.create('/apps/shop/src/migrations/4000000000000-future.ts', 'export class Future {}\n');
    const out = await generate(tree, { timestamp: undefined });
    expect(out.files).toContain('/apps/shop/src/migrations/4000000000001-create-products.ts');
  });

  it('fails with a hint outside a Nest project', async () => {
    await expect(generate(new UnitTestTree(new HostTree()))).rejects.toThrow(/No app module under/);
  });
});

describe('parseFields', () => {
  it.each([
    ['name:string', [{ name: 'name', type: 'string', optional: false, index: false, unique: false }]],
    ['qty:integer:index', [{ name: 'qty', type: 'int', optional: false, index: true, unique: false }]],
    [
      'a:bool,b:timestamp:optional',
      [
        { name: 'a', type: 'boolean', optional: false, index: false, unique: false },
        { name: 'b', type: 'datetime', optional: true, index: false, unique: false },
      ],
    ],
    [
      'sku:string:unique:index',
      [{ name: 'sku', type: 'string', optional: false, index: false, unique: true }],
    ],
  ])('%s', (input, expected) => {
    expect(parseFields(input)).toEqual(expected);
  });
});

describe('kwik CLI arguments', () => {
  it('reads positionals, --no-x, -p and --x=value', () => {
    expect(
      parseArgs([
        'g',
        'kr',
        'product',
        'name:string',
        '--no-auth',
        '-p',
        'demo',
        '--route=shop/items',
        '--cache',
      ]),
    ).toEqual({
      positionals: ['g', 'kr', 'product', 'name:string'],
      options: { auth: false, project: 'demo', route: 'shop/items', cache: true },
    });
  });
});
