import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Comment, Post, Tenant, User } from '../entities/index.js';
import { DemoConfig } from '../config/demo-config.js';
import { PasswordHasher } from '@kwik/auth';
import { DEMO_PASSWORD, DEMO_ROLES, DEMO_TENANTS, seedPosts } from './seed-data.js';

/** Seeds tenants, users, posts and comments into an empty database at boot (`KWIK_SEED`). */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(DemoConfig) private readonly config: DemoConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.KWIK_SEED) return;
    if ((await this.dataSource.getRepository(Tenant).count()) > 0) return;
    await this.seed(new Date());
  }

  /**
   * Seeds everything in one transaction (a failed seed leaves the database empty), under an
   * advisory lock so instances starting together on one empty database seed it once.
   */
  async seed(now: Date): Promise<boolean> {
    const started = Date.now();
    const seeded = await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('kwik-demo-seed'))`);
      if ((await em.getRepository(Tenant).count()) > 0) return false;
      for (const t of DEMO_TENANTS) await this.seedTenant(em, t, now);
      return true;
    });
    if (!seeded) return false;
    this.logger.log(
      `Seeded tenants ${DEMO_TENANTS.map((t) => t.slug).join(', ')} in ${Date.now() - started} ms; users *@<tenant>.test, password "${DEMO_PASSWORD}" (development seed only)`,
    );
    return true;
  }

  private async seedTenant(em: EntityManager, t: { slug: string; name: string }, now: Date): Promise<void> {
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
    const writers = users.filter((u) => !u.roles.includes('reader'));
    const posts = seedPosts(t.slug, 50, now);
    const rows = posts.map((p, i) => ({
      tenantId: tenant.id,
      authorId: writers[i % writers.length]!.id,
      title: p.title,
      body: p.body,
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
