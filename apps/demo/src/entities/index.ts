import { AUTH_ENTITIES } from '@kwik/auth';
import { Comment } from './comment.entity.js';
import { Post } from './post.entity.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';
import { Product } from '../products/product.entity.js';

export { Comment, Post, Tenant, User };
export { POST_STATUSES, type PostStatus } from './post.entity.js';
export { USER_ROLES, type UserRole } from './user.entity.js';

/** Every entity of the demo, for the data source and the migrations CLI. */
export const DEMO_ENTITIES = [Tenant, User, Post, Comment, ...AUTH_ENTITIES, Product];
