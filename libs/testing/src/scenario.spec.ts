import { describe, expect, it } from 'vitest';
import { defineScenario } from './scenario.js';

/** A stand-in target: these steps save nothing. */
const target = { manager: {} } as never;

const Demo = defineScenario({
  withUser: (role: string) => () => ({ user: { id: `u-${role}`, role } }),
  withPosts:
    (count: number) =>
    async ({ built }) => ({
      posts: Array.from({ length: count }, (_, i) => ({
        id: `p${i + 1}`,
        authorId: built.user.id as string,
      })),
    }),
});

describe('defineScenario', () => {
  it('runs the steps in order, each seeing what the earlier built, and returns it all', async () => {
    const { user, posts } = await Demo.create(target).withUser('admin').withPosts(2).build();
    expect(user).toEqual({ id: 'u-admin', role: 'admin' });
    expect(posts).toEqual([
      { id: 'p1', authorId: 'u-admin' },
      { id: 'p2', authorId: 'u-admin' },
    ]);
  });

  it('takes one-off steps typed by what came before, and lets a later name win', async () => {
    const built = await Demo.create(target)
      .withUser('reader')
      .step(({ built: b }) => ({ label: `${b.user.role}!` }))
      .withUser('editor')
      .build();
    expect(built).toEqual({ user: { id: 'u-editor', role: 'editor' }, label: 'reader!' });
  });

  it('builds nothing until build(), and a builder can be reused', async () => {
    let runs = 0;
    const counted = defineScenario({ tick: () => () => ({ n: ++runs }) });
    const base = counted.create(target).tick();
    expect(runs).toBe(0);
    expect(await base.build()).toEqual({ n: 1 });
    expect(await base.tick().build()).toEqual({ n: 3 });
  });

  it('refuses a step named like the builder’s own methods', () => {
    expect(() => defineScenario({ build: () => () => ({}) })).toThrow(/cannot be named "build"/);
  });
});
