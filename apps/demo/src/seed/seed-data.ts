import type { PostStatus, UserRole } from '../entities/index.js';

export const DEMO_PASSWORD = 'kwik-demo-pass';
export const DEMO_TENANTS = [
  { slug: 'acme', name: 'Acme Corporation' },
  { slug: 'globex', name: 'Globex Corporation' },
] as const;
export const DEMO_ROLES: readonly UserRole[] = ['admin', 'editor', 'author', 'reader'];

const TAGS = [
  'nestjs',
  'typescript',
  'postgres',
  'release',
  'howto',
  'security',
  'performance',
  'news',
  'ops',
  'design',
];
const WORDS = [
  'kwik',
  'tenant',
  'cursor',
  'fastify',
  'schema',
  'queue',
  'cache',
  'token',
  'metric',
  'index',
  'deploy',
];
const STATUSES: readonly PostStatus[] = ['published', 'published', 'published', 'draft', 'archived'];

/** A small deterministic PRNG (mulberry32) so every seeded database looks the same. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedPost {
  title: string;
  body: string;
  status: PostStatus;
  tags: string[];
  views: number;
  createdAt: Date;
  publishedAt: Date | null;
  comments: number;
}

/** `count` posts with mixed status, tags, views and dates over the 60 days before `now`. */
export function seedPosts(tenant: string, count: number, now: Date, seed = 42): SeedPost[] {
  const rand = prng(seed + tenant.length * 7919);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const status = pick(STATUSES);
    const createdAt = new Date(now.getTime() - Math.floor(rand() * 60 * 24 * 3600 * 1000));
    const words = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => pick(WORDS));
    return {
      title: `${tenant} post ${i + 1}: ${words.join(' ')}`,
      body: `${words.join(' ')}. `.repeat(5 + Math.floor(rand() * 20)).trim(),
      status,
      tags: [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(TAGS)))],
      views: status === 'draft' ? 0 : Math.floor(rand() * 5000),
      createdAt,
      publishedAt: status === 'draft' ? null : new Date(createdAt.getTime() + 3600_000),
      comments: Math.floor(rand() * 4),
    };
  });
}
