import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { KwikBaseEntity } from '@kwik/database';
import { Post } from './post.entity.js';
import { User } from './user.entity.js';
import { TenantScoped } from '@kwik/tenant';

/** A comment on a post. */
@TenantScoped()
@Entity('comments')
@Index(['postId', 'createdAt'])
export class Comment extends KwikBaseEntity {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  postId!: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Relation<Post>;

  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authorId' })
  author?: Relation<User>;

  @Column({ type: 'text' })
  body!: string;
}
