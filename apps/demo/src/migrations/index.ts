import type { MigrationInterface } from 'typeorm';
import { Init1795304048053 } from './1795304048053-init.js';
import { PostSearch1795310755599 } from './1795310755599-post-search.js';

/** Every migration of the demo, in order (generated with `npm run migration:generate -- --name <x>`). */
export const DEMO_MIGRATIONS: (new () => MigrationInterface)[] = [Init1795304048053, PostSearch1795310755599];
