import type { FactoryTarget } from './factory.js';
import type { TestApp } from './create-test-app.js';

/** What a step receives: where to save, and what the steps before it built. */
export interface ScenarioContext<Built = Record<string, unknown>> {
  /** Where factories save (`factory.create(ctx.target, ...)`): the app's data source. */
  readonly target: FactoryTarget;
  /** The test app, when the scenario was made from one (its client, its providers). */
  readonly app: TestApp | undefined;
  /** What the earlier steps returned, merged. */
  readonly built: Built;
}

/** One step: builds records and returns them under names (`{ user }`, `{ posts }`), merged into the result. */
export type StepFn<Out extends object> = (ctx: ScenarioContext<any>) => Promise<Out> | Out;

/** An app's steps: each takes its arguments and returns the step to run. */
export type ScenarioSteps = Record<string, (...args: any[]) => StepFn<object>>;

type StepOutput<F> = F extends (...args: any[]) => StepFn<infer O> ? O : never;

/** The fluent builder: the app's steps as methods, plus `step()` for a one-off and `build()`. */
export type ScenarioBuilder<S extends ScenarioSteps, Built extends object> = {
  [K in keyof S]: (
    ...args: Parameters<S[K]>
  ) => ScenarioBuilder<S, Omit<Built, keyof StepOutput<S[K]>> & StepOutput<S[K]>>;
} & {
  /** A one-off step, typed by what the earlier ones built. */
  step<Out extends object>(
    fn: (ctx: ScenarioContext<Built>) => Promise<Out> | Out,
  ): ScenarioBuilder<S, Omit<Built, keyof Out> & Out>;
  /** Runs the steps in order and resolves with everything they returned. */
  build(): Promise<Built>;
};

const RESERVED = new Set(['step', 'build']);

/**
 * Describes an app's test scenarios once, as named steps over its factories; tests then compose
 * them fluently and get typed records back. Steps run in the order they are called, each seeing
 * what the earlier ones built; a later step's name wins over an earlier one's.
 *
 * @example
 * const DemoScenario = defineScenario({
 *   withUser: (role: string) => async ({ target }) => ({ user: await Users.state(role).create(target) }),
 *   withPosts: (count: number) => async ({ target, built }) => ({
 *     posts: await Posts.createMany(target, count, { authorId: built.user.id }),
 *   }),
 * });
 * const { user, posts } = await DemoScenario.create(testApp).withUser('admin').withPosts(5).build();
 */
export function defineScenario<S extends ScenarioSteps>(
  steps: S,
): { create(from: TestApp | FactoryTarget): ScenarioBuilder<S, {}> } {
  for (const name of Object.keys(steps))
    if (RESERVED.has(name))
      throw new Error(`defineScenario(): a step cannot be named "${name}" (the builder's own method)`);
  return {
    create(from) {
      const app = isTestApp(from) ? from : undefined;
      const target: FactoryTarget = app ? app.app : (from as FactoryTarget);
      return builder(steps, { target, app }, []);
    },
  };
}

function builder<S extends ScenarioSteps>(
  steps: S,
  where: { target: FactoryTarget; app: TestApp | undefined },
  queue: readonly StepFn<object>[],
): ScenarioBuilder<S, any> {
  const next = (fn: StepFn<object>) => builder(steps, where, [...queue, fn]);
  const methods: Record<string, unknown> = {
    step: (fn: StepFn<object>) => next(fn),
    async build() {
      let built: Record<string, unknown> = {};
      for (const fn of queue) built = { ...built, ...(await fn({ ...where, built })) };
      return built;
    },
  };
  for (const [name, make] of Object.entries(steps))
    methods[name] = (...args: unknown[]) => next(make(...args));
  return methods as ScenarioBuilder<S, any>;
}

function isTestApp(value: unknown): value is TestApp {
  return (
    typeof value === 'object' &&
    value !== null &&
    'app' in value &&
    'client' in value &&
    typeof (value as TestApp).close === 'function'
  );
}
