import { TYPE_TRAITS, type FieldSpec } from './fields.js';
import type { ResourceModel } from './model.js';

/** A request body with a valid value for every field; `n` makes unique values distinct. */
function body(m: ResourceModel, n: number, replace: Record<string, string> = {}): string {
  return `{ ${m.fields.map((f) => `${f.name}: ${replace[f.name] ?? TYPE_TRAITS[f.type].example(f, n)}`).join(', ')} }`;
}

/** What a field's JSON value reads as in a response (datetimes round-trip; everything else is as sent). */
const firstFilterable = (m: ResourceModel): FieldSpec | undefined =>
  m.fields.find((f) => ['equality', 'comparable', 'text'].includes(TYPE_TRAITS[f.type].filter ?? ''));

export function factoryFile(m: ResourceModel, entityImport: string): string {
  const label = m.Entity.replace(/([a-z])([A-Z])/g, '$1 $2');
  const attrs = m.fields.map((f) => `    ${f.name}: ${TYPE_TRAITS[f.type].sample(f, `${label} ${f.name}`)},`);
  const usesFaker = attrs.some((a) => a.includes('faker'));
  const usesSequence = attrs.some((a) => a.includes('sequence'));
  const ctx = [usesSequence ? 'sequence' : '', usesFaker ? 'faker' : ''].filter(Boolean).join(', ');
  return `import { defineFactory } from '@kwik/testing';
import { ${m.Entity} } from '${entityImport}';

/**
 * ${label}s for tests: \`${m.Entity}Factory.make()\` (not saved), \`.create(app${m.tenantScoped ? ', { tenantId }' : ''})\`,
 * \`.createMany(app, 5${m.tenantScoped ? ', { tenantId }' : ''})\`${m.tenantScoped ? ' — for a tenant, inside\n * `TenantContext.run(slug, () => …)` (its schema or row-level security applies)' : ''}. Add states for your own cases.
 */
export const ${m.Entity}Factory = defineFactory(${m.Entity}, (${ctx ? `{ ${ctx} }` : ''}) => ({
${attrs.join('\n')}
}));
`;
}

export function unitSpecFile(m: ResourceModel): string {
  const wrong = m.fields.map((f) => `    ['${f.name}', ${TYPE_TRAITS[f.type].wrong}],`);
  const required = m.fields.filter((f) => !f.optional).map((f) => `'${f.name}'`);
  return `import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { getMetadataArgsStorage } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { Create${m.Entity}Dto, Update${m.Entity}Dto } from './dto/${m.singular}.dto${m.ext}';
import { ${m.Entity} } from './${m.singular}.entity${m.ext}';

const valid = ${body(m, 1)};

async function invalidProperties(type: new () => object, input: object): Promise<string[]> {
  return (await validate(plainToInstance(type, input))).map((error) => error.property);
}

describe('Create${m.Entity}Dto', () => {
  it('accepts a complete ${m.singular.replace(/-/g, ' ')}', async () => {
    expect(await invalidProperties(Create${m.Entity}Dto, valid)).toEqual([]);
  });

  it.each([
${wrong.join('\n')}
  ])('refuses %s of the wrong type', async (field, value) => {
    expect(await invalidProperties(Create${m.Entity}Dto, { ...valid, [field]: value })).toEqual([field]);
  });
${
  required.length > 0
    ? `
  it.each([${required.join(', ')}])('requires %s', async (field) => {
    const input: Record<string, unknown> = { ...valid };
    delete input[field];
    expect(await invalidProperties(Create${m.Entity}Dto, input)).toEqual([field]);
  });
`
    : ''
}});

describe('Update${m.Entity}Dto', () => {
  it('accepts any subset of the fields', async () => {
    expect(await invalidProperties(Update${m.Entity}Dto, {})).toEqual([]);
    expect(await invalidProperties(Update${m.Entity}Dto, { ${m.fields[0]!.name}: valid.${m.fields[0]!.name} })).toEqual([]);
  });
});

describe('${m.Entity}', () => {
  it('maps every field to a column of ${m.table}', () => {
    const columns = getMetadataArgsStorage()
      .filterColumns(${m.Entity})
      .map((column) => column.propertyName);
    expect(columns).toEqual(expect.arrayContaining([${m.fields.map((f) => `'${f.name}'`).join(', ')}]));
    expect(getMetadataArgsStorage().tables.find((table) => table.target === ${m.Entity})?.name).toBe('${m.table}');
  });
});
`;
}

export function e2eSpecFile(m: ResourceModel, imports: { appModule: string; factory: string }): string {
  const path = `/${m.route}`;
  const as = (verb: string, user: string, rest: string): string =>
    m.auth ? `api.${verb}As(${user}, ${rest})` : `api.${verb}(${rest})`;
  const f0 = m.fields[0]!;
  const filterField = firstFilterable(m);
  const unique = m.fields.find((f) => f.unique);
  const setup: string[] = [];
  const vars: string[] = ['let t: TestApp;', 'let api: TestClient;'];
  if (m.tenancy) vars.push('let tenant: { id: string; slug: string };');
  if (m.auth) vars.push('let manager: AuthTestUser;', 'let outsider: AuthTestUser;');
  if (m.tenancy)
    setup.push(
      "  // A tenant of this file's own, so the test needs no seed data.",
      `  tenant = await t.get<TenantRegistry>(TenantRegistry).provision({ slug: \`${m.plural.slice(0, 40)}-\${Date.now().toString(36)}\`, name: '${m.Plural} e2e' });`,
      '  api = t.client.asTenant(tenant.slug);',
    );
  else setup.push('  api = t.client;');
  if (m.auth) {
    const tenantOpts = m.tenancy ? ', tenantId: tenant.id, tenant: tenant.slug' : '';
    setup.push(
      `  manager = await createAuthTestUser(t, { permissions: ['${m.singular}:*']${tenantOpts} });`,
      `  outsider = await createAuthTestUser(t, { ${tenantOpts.slice(2)} });`,
    );
  }
  // Rows a factory writes for a tenant go through its scope (its schema, or row-level security).
  const createRows = m.tenantScoped
    ? `await t.get<TenantContext>(TenantContext).run(tenant.slug, () => ${m.Entity}Factory.createMany(t, 3, { tenantId: tenant.id }))`
    : `await ${m.Entity}Factory.createMany(t, 3)`;
  const user = 'manager';
  return `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
${m.auth ? "import { createAuthTestUser, type AuthTestUser } from '@kwik/auth';\n" : ''}${m.tenancy ? `import { ${m.tenantScoped ? 'TenantContext, ' : ''}TenantRegistry } from '@kwik/tenant';\n` : ''}import { createTestApp, type TestApp, type TestClient } from '@kwik/testing';
import { AppModule } from '${imports.appModule}';
import { ${m.Entity}Factory } from '${imports.factory}';

// The whole app on a throw-away database (migrated as in production); real sign-in, no guard overridden;
// responses checked against the OpenAPI document.
${vars.join('\n')}

beforeAll(async () => {
  t = await createTestApp(AppModule, {
    name: '${m.plural}',
    env: { LOG_LEVEL: 'silent' },
    // Every JSON response is checked against the app's OpenAPI document.
    client: { validateResponses: true },
  });
${setup.join('\n')}
});
afterAll(() => t?.close());

describe('${path}', () => {
  it('creates: 201, a Location, the stored fields', async () => {
    const input = ${body(m, 1)};
    const res = (await ${as('post', user, `'${path}', input`)}).expectStatus(201);
    expect(res.headers.get('location')).toBe(\`${path}/\${res.body.id}\`);
    expect(res.body).toMatchObject(input);
  });

  it('reads one with an ETag; If-None-Match answers 304', async () => {
    const created = (await ${as('post', user, `'${path}', ${body(m, 2)}`)}).expectStatus(201);
    const res = (await ${as('get', user, `\`${path}/\${created.body.id}\``)}).expectStatus(200);
    expect(res.body.id).toBe(created.body.id);
    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await ${as('get', user, `\`${path}/\${created.body.id}\`, { headers: { 'if-none-match': etag } }`)};
    expect(again.status).toBe(304);
  });

  it('lists in cursor pages of the requested size, sorted and filtered', async () => {
    const rows = ${createRows};
    const page = (await ${as('get', user, `'${path}?limit=2&sort=-createdAt'`)}).expectStatus(200);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.meta.nextCursor).toEqual(expect.any(String));
    const next = (await ${as('get', user, `\`${path}?limit=2&sort=-createdAt&after=\${encodeURIComponent(page.body.meta.nextCursor)}\``)}).expectStatus(200);
    expect(next.body.data.length).toBeGreaterThan(0);
    expect(next.body.data.map((row: { id: string }) => row.id)).not.toContain(page.body.data[0].id);${
      filterField
        ? `
    const value = rows[0]!.${filterField.name};
    const filtered = (await ${as('get', user, `\`${path}?limit=100&filter[${filterField.name}][eq]=\${encodeURIComponent(${filterField.type === 'datetime' ? '(value as Date).toISOString()' : 'String(value)'})}\``)}).expectStatus(200);
    expect(filtered.body.data.map((row: { id: string }) => row.id)).toContain(rows[0]!.id);`
        : ''
    }
  });

  it('updates with If-Match; a stale ETag answers 412', async () => {
    const created = (await ${as('post', user, `'${path}', ${body(m, 3)}`)}).expectStatus(201);
    const url = \`${path}/\${created.body.id}\`;
    const first = (await ${as('get', user, 'url')}).expectStatus(200);
    const stale = first.headers.get('etag')!;
    const change = { ${f0.name}: ${TYPE_TRAITS[f0.type].example(f0, 4)} };
    const updated = (await ${as('patch', user, "url, change, { headers: { 'if-match': stale } }")}).expectStatus(200);
    expect(updated.body).toMatchObject(change);
    (await ${as('patch', user, "url, change, { headers: { 'if-match': stale } }")}).expectProblem(412);
  });

  it('deletes: 204, then 404', async () => {
    const created = (await ${as('post', user, `'${path}', ${body(m, 5)}`)}).expectStatus(201);
    const url = \`${path}/\${created.body.id}\`;
    expect((await ${as('delete', user, 'url')}).status).toBe(204);
    (await ${as('get', user, 'url')}).expectProblem(404);
  });

  it('refuses a body of the wrong type with a 400 problem naming the field', async () => {
    (await ${as('post', user, `'${path}', ${body(m, 6, { [f0.name]: TYPE_TRAITS[f0.type].wrong })}`)}).expectProblem(400, '${f0.name}');
  });

  it('refuses a query the shape does not allow with a 400 problem', async () => {
    (await ${as('get', user, `'${path}?filter[nope][eq]=1'`)}).expectProblem(400);
    (await ${as('get', user, `'${path}?limit=0'`)}).expectProblem(400);
  });
${
  unique
    ? `
  it('answers 409 when ${unique.name} is taken', async () => {
    const input = ${body(m, 7)};
    (await ${as('post', user, `'${path}', input`)}).expectStatus(201);
    (await ${as('post', user, `'${path}', input`)}).expectProblem(409);
  });
`
    : ''
}${
    m.auth
      ? `
  it('needs a signed-in user with ${m.singular} permissions', async () => {
    (await api.get('${path}')).expectProblem(401);
    (await api.getAs(outsider, '${path}')).expectProblem(403);
    (await api.postAs(outsider, '${path}', ${body(m, 8)})).expectProblem(403);
  });
`
      : ''
  }});
`;
}
