import { Injectable, RequestMethod } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteAccess } from '@kwik/core';
import { CACHE_METADATA } from '../cache.constants.js';
import { CacheError, CacheErrorCode } from '../cache.errors.js';
import type { NormalizedCacheOptions } from '../decorators/normalize-cache-options.js';

/** One cached route: its declaration and what a hit needs to run the route's guards. */
export interface RoutePlan {
  readonly controller: Function;
  readonly handler: Function;
  readonly instance: object;
  readonly methodName: string;
  readonly options: NormalizedCacheOptions;
  /** `PostsController.list` (or the `key` option): the stable part of every key of this route. */
  readonly keyName: string;
  /** `GET /api/posts` once the route served its first request (stats). */
  name: string;
  /** Runs the route's guards (global, controller, method) and filters for a hit; true when they pass. */
  guards?: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
}

const PASSED = Symbol('kwik cache guards passed');

/** What a hit's stand-in handler answers when the guards let it through. */
function passGuards(): symbol {
  return PASSED;
}
/** The metadata key under which `@Get()` & co. record the HTTP method (`@nestjs/common`'s METHOD_METADATA). */
const METHOD_METADATA = 'method';

/**
 * Finds the `@Cache()` routes at boot, refuses unsafe ones, and builds what serving a hit needs:
 * the route's own guards, run through Nest's `ExternalContextCreator` with exception filters, so a
 * hit is authorized exactly like the handler would be (401 / 403 / 429 problems included).
 */
@Injectable()
export class RoutePlans {
  private readonly plans = new Map<Function, Map<Function, RoutePlan>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly routeAccess: RouteAccess,
    private readonly contextCreator: ExternalContextCreator,
  ) {}

  /** Discovers and checks every cached route; throws the first unsafe declaration. */
  discover(): number {
    let count = 0;
    const controllers = this.discovery.getControllers();
    const names = new Map<string, number>();
    for (const wrapper of controllers) {
      const name = (wrapper.metatype as Function | undefined)?.name;
      if (name) names.set(name, (names.get(name) ?? 0) + 1);
    }
    for (const wrapper of controllers) {
      const instance = wrapper.instance as object | undefined;
      const controller = wrapper.metatype as Function | undefined;
      if (!instance || !controller) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[methodName];
        if (typeof handler !== 'function') continue;
        const options = this.reflector.get<NormalizedCacheOptions | undefined>(CACHE_METADATA, handler);
        if (!options) continue;
        this.check(controller, handler, methodName, options);
        if ((names.get(controller.name) ?? 0) > 1)
          throw new CacheError(
            CacheErrorCode.InvalidOptions,
            `@Cache() on ${controller.name}.${methodName}: ${names.get(controller.name)} controllers are named ${controller.name}, so their routes cannot be told apart (Nest names route handlers Controller.method). Rename one of them.`,
          );
        const plan: RoutePlan = {
          controller,
          handler,
          instance,
          methodName,
          options,
          keyName: options.key ?? `${controller.name}.${methodName}`,
          name: `${controller.name}.${methodName}`,
        };
        let byHandler = this.plans.get(controller);
        if (!byHandler) this.plans.set(controller, (byHandler = new Map()));
        byHandler.set(handler, plan);
        count++;
      }
    }
    return count;
  }

  /**
   * The plan named `Controller.method` (how Nest names a route's handler), or `undefined` when no
   * plan or more than one has that name.
   */
  byName(name: string): RoutePlan | undefined {
    let found: RoutePlan | undefined;
    for (const byHandler of this.plans.values())
      for (const plan of byHandler.values()) {
        if (`${plan.controller.name}.${plan.methodName}` !== name) continue;
        if (found) return undefined;
        found = plan;
      }
    return found;
  }

  /** The guard runner of a plan, created on first use. */
  guardsOf(plan: RoutePlan): (request: FastifyRequest, reply: FastifyReply) => Promise<boolean> {
    if (plan.guards) return plan.guards;
    // A stand-in handler with the route's metadata: the guards read @Public(), @HasPermission(),
    // @RateLimit() ... from it, and it answers "passed" instead of running the real handler.
    const standIn = passGuards.bind(undefined);
    for (const key of Reflect.getMetadataKeys(plan.handler))
      Reflect.defineMetadata(key, Reflect.getMetadata(key, plan.handler), standIn);
    Object.defineProperty(standIn, 'name', { value: plan.handler.name });
    const run = this.contextCreator.create(
      plan.instance as Record<string, (...args: unknown[]) => unknown>,
      standIn,
      plan.methodName,
      undefined,
      undefined,
      undefined,
      undefined,
      { guards: true, interceptors: false, filters: true },
      'http',
    );
    plan.guards = async (request, reply) => (await run(request, reply)) === PASSED;
    return plan.guards;
  }

  private check(
    controller: Function,
    handler: Function,
    methodName: string,
    options: NormalizedCacheOptions,
  ): void {
    const where = `${controller.name}.${methodName}`;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (method !== undefined && method !== RequestMethod.GET)
      throw new CacheError(
        CacheErrorCode.InvalidOptions,
        `@Cache() on ${where}: only GET routes are cached (HEAD is answered from the same entries). Use @CacheEvict() on writes.`,
      );
    if (options.shared || options.varyUser || options.varyTenant) return;
    if (this.routeAccess.requiresAuthentication({ controller, handler }))
      throw new CacheError(
        CacheErrorCode.UnsafeSharedRoute,
        `@Cache() on ${where}: the route needs authentication, so one caller's response could be served to another. Add vary: ['user'] (one entry per user) or vary: ['tenant'] (one per tenant, when the response is the same for everyone in it), or shared: true if the response really is the same for every caller.`,
      );
  }
}
