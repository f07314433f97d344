import { faker as defaultFaker, type Faker } from '@faker-js/faker';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';

/** What a factory's definition and states receive. */
export interface FactoryContext {
  /** 1, 2, 3… per factory (`resetSequence()` starts again): unique emails, titles, slugs. */
  readonly sequence: number;
  /** faker (`@faker-js/faker`), seeded by `seed()` for repeatable data. */
  readonly faker: Faker;
}

/**
 * The attributes a definition returns: values, or for a relation another {@link Factory} (made
 * with `make()`, created first with `create()`), or a function of the context.
 */
export type FactoryAttributes<T> = {
  [K in keyof T]?: T[K] | Factory<NonNullable<T[K]> & ObjectLiteral> | ((ctx: FactoryContext) => T[K]);
};

type Definition<T> = (ctx: FactoryContext) => FactoryAttributes<T>;

/** Where `create()` saves: a booted app (its TypeORM DataSource), a DataSource, or an EntityManager (a transaction's). */
export type FactoryTarget = DataSource | EntityManager | { get(token: unknown, options?: object): unknown };

/**
 * Builds entities for tests. `make()` returns unsaved instances (no database); `create()` saves them
 * through TypeORM (relations given as factories are created first). States are named variations
 * applied over the definition, in order; overrides win over both.
 *
 * @example
 * const Users = defineFactory(User, ({ sequence, faker }) => ({
 *   email: `user${sequence}@acme.test`,
 *   displayName: faker.person.fullName(),
 * }), { states: { admin: () => ({ roles: ['admin'] }) } });
 * const Posts = defineFactory(Post, ({ sequence, faker }) => ({
 *   title: `Post ${sequence}`, body: faker.lorem.paragraph(), status: 'draft', author: Users,
 * }), { states: { published: () => ({ status: 'published', publishedAt: new Date() }) } });
 *
 * const draft = Posts.make();                                   // no database
 * const posts = await Posts.state('published').createMany(app, 5, { tenantId });
 */
export class Factory<T extends ObjectLiteral> {
  private counter: { value: number };

  private constructor(
    readonly entity: EntityTarget<T> & (new () => T),
    private readonly definition: Definition<T>,
    private readonly states: Readonly<Record<string, Definition<T>>>,
    private readonly applied: readonly string[],
    private readonly fakerInstance: Faker,
    counter?: { value: number },
  ) {
    this.counter = counter ?? { value: 0 };
  }

  /** @internal */
  static define<T extends ObjectLiteral>(
    entity: EntityTarget<T> & (new () => T),
    definition: Definition<T>,
    options: { states?: Record<string, Definition<T>>; faker?: Faker } = {},
  ): Factory<T> {
    return new Factory(entity, definition, options.states ?? {}, [], options.faker ?? defaultFaker);
  }

  /** The same factory with these states applied (in order), sharing its sequence. */
  state(...names: string[]): Factory<T> {
    for (const name of names)
      if (!(name in this.states))
        throw new Error(
          `Factory of ${this.entity.name}: no state "${name}" (states: ${Object.keys(this.states).join(', ') || 'none'})`,
        );
    return new Factory(
      this.entity,
      this.definition,
      this.states,
      [...this.applied, ...names],
      this.fakerInstance,
      this.counter,
    );
  }

  /** Seeds faker, for the same data on every run. */
  seed(value: number): this {
    this.fakerInstance.seed(value);
    return this;
  }

  /** Starts the sequence at 1 again. */
  resetSequence(): this {
    this.counter.value = 0;
    return this;
  }

  /** An unsaved instance (relations given as factories are made too). */
  make(overrides: FactoryAttributes<T> = {}): T {
    const attributes = this.attributes(overrides);
    const instance = new this.entity();
    for (const [key, value] of Object.entries(attributes))
      (instance as Record<string, unknown>)[key] = value instanceof Factory ? value.make() : value;
    return instance;
  }

  makeMany(count: number, overrides: FactoryAttributes<T> = {}): T[] {
    return Array.from({ length: count }, () => this.make(overrides));
  }

  /** A saved instance: relations given as factories are created first, then the entity is inserted. */
  async create(target: FactoryTarget, overrides: FactoryAttributes<T> = {}): Promise<T> {
    const manager = managerOf(target);
    const attributes = this.attributes(overrides);
    const instance = new this.entity();
    for (const [key, value] of Object.entries(attributes))
      (instance as Record<string, unknown>)[key] =
        value instanceof Factory ? await value.create(manager) : value;
    return manager.save(this.entity, instance);
  }

  async createMany(target: FactoryTarget, count: number, overrides: FactoryAttributes<T> = {}): Promise<T[]> {
    const created: T[] = [];
    for (let i = 0; i < count; i++) created.push(await this.create(target, overrides));
    return created;
  }

  private attributes(overrides: FactoryAttributes<T>): Record<string, unknown> {
    const ctx: FactoryContext = { sequence: ++this.counter.value, faker: this.fakerInstance };
    const merged: Record<string, unknown> = { ...this.definition(ctx) };
    for (const name of this.applied) Object.assign(merged, this.states[name]!(ctx));
    Object.assign(merged, overrides);
    for (const [key, value] of Object.entries(merged))
      if (typeof value === 'function' && !(value instanceof Factory))
        merged[key] = (value as (c: FactoryContext) => unknown)(ctx);
    return merged;
  }
}

/** Defines a {@link Factory} for an entity class. */
export function defineFactory<T extends ObjectLiteral>(
  entity: EntityTarget<T> & (new () => T),
  definition: Definition<T>,
  options: { states?: Record<string, Definition<T>>; faker?: Faker } = {},
): Factory<T> {
  return Factory.define(entity, definition, options);
}

function managerOf(target: FactoryTarget): EntityManager {
  const t = target as Partial<EntityManager> &
    Partial<DataSource> & { get?: (token: unknown, o?: object) => unknown };
  // An EntityManager (has a connection) or a DataSource (has a manager).
  if (typeof t.save === 'function' && 'connection' in t && !('manager' in t)) return target as EntityManager;
  if (t.manager && typeof t.manager.save === 'function') return t.manager;
  if (typeof t.get === 'function') {
    try {
      // The default data source of `@nestjs/typeorm` (and `@kwik/database`) is provided as the class.
      const ds = t.get(DataSource, { strict: false }) as DataSource | undefined;
      if (ds?.manager) return ds.manager;
    } catch {
      /* not a Nest app with TypeORM: the error below */
    }
  }
  throw new Error(
    'Factory.create(target): pass a booted app (TestApp.app or an INestApplication), a TypeORM DataSource, or an EntityManager',
  );
}
