import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Comment, Post, Tenant, User } from '../entities/index.js';
import { DemoConfig } from '../config/demo-config.js';
import { PasswordHasher } from '@kwik/auth';
import { TenantContext, TenantSchemas } from '@kwik/tenant';
import { DEMO_PASSWORD, DEMO_ROLES, DEMO_TENANTS, seedPosts } from './seed-data.js';

/** Seeds tenants, users, posts and comments into an empty database at boot (`KWIK_SEED`). */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(DemoConfig) private readonly config: DemoConfig,
    private readonly dataSource: DataSource,
    @Optional() private readonly schemas?: TenantSchemas,
    @Optional() private readonly tenants?: TenantContext,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.KWIK_SEED) return;
    if ((await this.dataSource.getRepository(Tenant).count()) > 0) return;
    await this.seed(new Date());
  }

  /**
   * Seeds everything in one transaction (a failed seed leaves the database empty), under an
   * advisory lock so instances starting together on one empty database seed it once. With the
   * schema strategy the posts and comments go into each tenant's new schema afterwards, one
   * transaction per tenant (the schema's foreign keys to `tenants` need the tenants committed).
   */
  async seed(now: Date): Promise<boolean> {
    const started = Date.now();
    const perSchema = this.config.KWIK_TENANT_STRATEGY === 'schema';
    const seeded = await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('kwik-demo-seed'))`);
      if ((await em.getRepository(Tenant).count()) > 0) return null;
      const tenants: SeededTenant[] = [];
      for (const t of DEMO_TENANTS) {
        const seededTenant = await this.seedTenant(em, t);
        if (!perSchema) await this.seedContent(em, seededTenant, now);
        tenants.push(seededTenant);
      }
      return tenants;
    });
    if (!seeded) return false;
    if (perSchema) for (const t of seeded) await this.seedSchema(t, now);
    this.logger.log(
      `Seeded tenants ${DEMO_TENANTS.map((t) => t.slug).join(', ')} in ${Date.now() - started} ms; users *@<tenant>.test, password "${DEMO_PASSWORD}" (development seed only)`,
    );
    return true;
  }

  /**
   * Creates the tenant's schema (a copy of the migrated template) and fills it as the tenant: the
   * tenancy library's session scope puts that schema first on the `search_path` of every statement.
   */
  private async seedSchema(t: SeededTenant, now: Date): Promise<void> {
    if (!this.schemas || !this.tenants)
      throw new Error('KWIK_TENANT_STRATEGY=schema needs TenantModule in the app');
    const { tenant } = t;
    await this.schemas.create({ ...tenant, status: 'active', plan: null, settings: {} });
    await this.tenants.run({ id: tenant.id, slug: tenant.slug }, () =>
      this.dataSource.transaction((em) => this.seedContent(em, t, now)),
    );
  }

  private async seedTenant(em: EntityManager, t: { slug: string; name: string }): Promise<SeededTenant> {
    const tenant = await em.save(em.create(Tenant, { slug: t.slug, name: t.name }));
    const users: User[] = [];
    // One argon2id hash for the shared development password (hashing is deliberately slow).
    const passwordHash = await new PasswordHasher().hash(DEMO_PASSWORD);
    for (const role of DEMO_ROLES) {
      const user = em.create(User, {
        tenantId: tenant.id,
        email: `${role}@${t.slug}.test`,
        displayName: `${role[0]!.toUpperCase()}${role.slice(1)} ${t.name.split(' ')[0]}`,
        roles: [role],
        passwordHash,
      });
      users.push(await em.save(user));
    }
    return { tenant, users };
  }

  private async seedContent(em: EntityManager, { tenant, users }: SeededTenant, now: Date): Promise<void> {
    const writers = users.filter((u) => !u.roles.includes('reader'));
    const posts = seedPosts(tenant.slug, 50, now);
    const rows = posts.map((p, i) => ({
      tenantId: tenant.id,
      authorId: writers[i % writers.length]!.id,
      title: p.title,
      content: p.body,
      status: p.status,
      tags: p.tags,
      views: p.views,
      publishedAt: p.publishedAt,
      createdAt: p.createdAt,
      updatedAt: p.createdAt,
    }));
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(Post)
      .values(rows)
      .returning(['id'])
      .execute();
    const comments = posts.flatMap((p, i) =>
      Array.from({ length: p.comments }, (_, c) => ({
        tenantId: tenant.id,
        postId: (inserted.identifiers[i] as { id: string }).id,
        authorId: users[(i + c) % users.length]!.id,
        body: `Comment ${c + 1} on "${p.title}"`,
      })),
    );
    if (comments.length > 0) await em.createQueryBuilder().insert().into(Comment).values(comments).execute();
  }
}

/** A seeded tenant and its users. */
interface SeededTenant {
  tenant: Tenant;
  users: User[];
}
