import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { KwikBaseEntity } from '@kwik/database';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';
import { TenantScoped } from '@kwik/tenant';

export const POST_STATUSES = ['draft', 'published', 'archived'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** A post of one tenant, written by one of its users. */
/** The weighted full-text document of a post, kept by PostgreSQL (title weighs more than body). */
export const POST_SEARCH_VECTOR =
  "setweight(to_tsvector('english', coalesce(\"title\", '')), 'A') || setweight(to_tsvector('english', coalesce(\"body\", '')), 'B')";

/** How long a post's `excerpt` is, in characters. */
export const POST_EXCERPT_LENGTH = 160;
/** The generated `excerpt` column's expression. */
export const POST_EXCERPT = `left("body", ${POST_EXCERPT_LENGTH})`;

@TenantScoped()
@Entity('posts')
@Index(['tenantId', 'createdAt', 'id'])
// ("tenantId", status, "publishedAt" DESC NULLS LAST, id DESC): the shaped list's keyset order; made by a migration.
@Index('IDX_posts_tenant_status_published', { synchronize: false })
@Index('IDX_posts_search', { synchronize: false })
export class Post extends KwikBaseEntity {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenantId' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  /** The text of the post. API v2 calls it `content`, v1 `body` (the column keeps its first name). */
  @Column({ name: 'body', type: 'text' })
  content!: string;

  /** The first {@link POST_EXCERPT_LENGTH} characters of the content (API v2), kept by PostgreSQL. */
  @Column({ type: 'text', insert: false, update: false, generatedType: 'STORED', asExpression: POST_EXCERPT })
  excerpt!: string;

  @Column({ type: 'enum', enum: POST_STATUSES, enumName: 'post_status', default: 'draft' })
  status!: PostStatus;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'integer', default: 0 })
  views!: number;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authorId' })
  author?: Relation<User>;

  /** Full-text search document (generated; GIN-indexed by a migration). Never selected or written by the app. */
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: POST_SEARCH_VECTOR,
  })
  searchVector?: string;
}
