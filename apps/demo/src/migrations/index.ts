import type { MigrationInterface } from 'typeorm';
import { AuthSchema1795400000000 } from '@kwik/auth';
import { TASKS_MIGRATIONS } from '@kwik/tasks';
import { Init1795304048053 } from './1795304048053-init.js';
import { PostSearch1795310755599 } from './1795310755599-post-search.js';
import { AuthUsers1795400000001 } from './1795400000001-auth-users.js';
import { Tenancy1795500000000 } from './1795500000000-tenancy.js';
import { PostExcerpt1795700000000 } from './1795700000000-post-excerpt.js';
import { TasksGrants1796100000001 } from './1796100000001-tasks-grants.js';
import { CreateProducts1796350154492 } from './1796350154492-create-products.js';

/** Every migration of the demo, in order (generated with `npm run migration:generate -- --name <x>`). */
export const DEMO_MIGRATIONS: (new () => MigrationInterface)[] = [
  Init1795304048053,
  PostSearch1795310755599,
  AuthSchema1795400000000,
  AuthUsers1795400000001,
  Tenancy1795500000000,
  PostExcerpt1795700000000,
  ...TASKS_MIGRATIONS,
  TasksGrants1796100000001,
  CreateProducts1796350154492,
];
