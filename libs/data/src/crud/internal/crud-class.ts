import type { ObjectLiteral } from 'typeorm';
import { CRUD_OPERATIONS, type ResolvedCrudOptions } from '../crud-options.interface.js';
import { CrudError, CrudErrorCode } from '../crud.errors.js';

/** Static key under which `CrudController()` keeps a resource's resolved options on the class it makes. */
export const CRUD_OPTIONS = Symbol('kwik:data:crud-options');

// Nest's PATH_METADATA ('path', from @nestjs/common/constants): set on a handler by @Get() & co.
const PATH_METADATA = 'path';
const PARAMTYPES = 'design:paramtypes';

type Ctor = abstract new (...args: never[]) => unknown;
const processed = new WeakSet<object>();

/** The class `CrudController()` generated, walking up from a subclass; `undefined` for other classes. */
export function crudClassOf(type: unknown): Ctor | undefined {
  for (let c = type as Ctor | null; typeof c === 'function'; c = Object.getPrototypeOf(c) as Ctor | null)
    if (Object.hasOwn(c, CRUD_OPTIONS)) return c;
  return undefined;
}

/** The resolved options of a CRUD controller class. */
export function crudOptionsOf<T extends ObjectLiteral, C extends object, U extends object>(
  type: unknown,
): ResolvedCrudOptions<T, C, U> {
  const generated = crudClassOf(type);
  if (!generated)
    throw new CrudError(
      CrudErrorCode.InvalidResource,
      `${(type as { name?: string }).name ?? 'A class'} extends CrudResourceBase directly; extend CrudController({ entity, shape, ... }) instead.`,
    );
  return (generated as unknown as Record<symbol, ResolvedCrudOptions<T, C, U>>)[CRUD_OPTIONS]!;
}

/**
 * Lets a subclass override a handler without re-declaring its route: Nest keeps route metadata on
 * the handler function, so an override (a new function) would lose it. The route, parameter,
 * pipe, interceptor, status and OpenAPI metadata the override lacks are copied from the generated
 * handler, with its parameter types (what validation uses). An override that declares its own route
 * (`@Get(...)`) is left alone. Runs once per class, before Nest registers routes: from `CrudExplorer`'s
 * constructor, and from the base constructor for apps that build controllers some other way.
 */
export function inheritRoutes(type: object): void {
  if (processed.has(type)) return;
  processed.add(type);
  const generated = crudClassOf(type);
  if (!generated || generated === type) return;
  const routed = generated.prototype as Record<string, unknown>;
  for (const name of CRUD_OPERATIONS) {
    const handler = routed[name] as object;
    let owner = (type as Ctor).prototype as Record<string, unknown>;
    while (!Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner) as Record<string, unknown>;
    if (owner === routed) continue;
    const override = owner[name];
    if (typeof override !== 'function' || Reflect.hasOwnMetadata(PATH_METADATA, override)) continue;
    for (const key of Reflect.getOwnMetadataKeys(handler)) {
      if (!Reflect.hasOwnMetadata(key, override))
        Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), override);
    }
    const types: unknown = Reflect.getOwnMetadata(PARAMTYPES, routed, name);
    if (types) Reflect.defineMetadata(PARAMTYPES, types, owner, name);
  }
}
