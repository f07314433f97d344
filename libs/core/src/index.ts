export { KwikModule } from './kwik.module.js';
export { KWIK_MODULE_OPTIONS, type KwikModuleExtras } from './kwik.module-definition.js';
export type { KwikDocsOptions, KwikModuleOptions } from './kwik-options.interface.js';
export { KWIK_CONTEXT_STORE, KWIK_REDIS } from './kwik.constants.js';
export { KwikLoggerHost } from './logger-host.js';
export { createKwikApp, type CreateKwikAppOptions } from './create-kwik-app.js';
export { handleShutdownSignals, shutdownKwikApp } from './shutdown/graceful-shutdown.js';

export { KwikConfig, LOG_LEVELS, type LogLevel } from './config/kwik-config.js';
export { loadConfig, type ConfigClass } from './config/load-config.js';
export { environmentWith } from './config/env-file.js';
export { EnvBoolean, EnvNumber } from './config/env-transforms.js';

export { RequestContext } from './context/request-context.js';
export { AsyncSlot } from './context/async-slot.js';
export { contextStoreOf, type ContextLogFields } from './context/context.keys.js';
export { ContextStore } from './context/context-store.js';
export type { KwikPrincipal, KwikTenantRef, RequestContextSnapshot } from './context/context.types.js';

export { KwikError } from './errors/kwik.error.js';
export { ProblemException, type ProblemInit } from './errors/problem.exception.js';
export { ProblemFilter } from './errors/problem.filter.js';
export {
  DEFAULT_PROBLEM_TYPE_BASE,
  PROBLEM_CONTENT_TYPE,
  ProblemKind,
  type ProblemDetails,
  type ProblemFieldError,
  type ProblemKindValue,
} from './errors/problem.types.js';

export { Public } from './http/public-route.decorator.js';
export { TenantOptional } from './http/tenant-optional.decorator.js';
export { RouteAccess, type AuthenticationRule, type RouteTarget } from './http/route-access.js';
export { RouteMemo } from './http/route-memo.js';
export { grantsPermission, requirePermission } from './http/require-permission.js';
export { NamedHooks } from './hooks/named-hooks.js';
export { OpenApiVariants, type OpenApiVariant } from './http/openapi-variants.js';

export { KwikValidationPipe } from './validation/kwik-validation.pipe.js';
export { flattenValidationErrors } from './validation/flatten-validation-errors.js';

export { ReadinessRegistry, type ReadinessCheck } from './health/readiness.registry.js';
export type { KwikRedisClient } from './redis/redis.provider.js';
