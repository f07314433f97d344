import type { IncomingMessage } from 'node:http';
import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { contextStoreOf, Public } from '@kwik/core';

/** Marks a route or controller as open to anonymous callers: core's marker, honoured by the global guard. */
export { Public };

const RequiredPermissions = Reflector.createDecorator<readonly string[]>();
const RequiredRoles = Reflector.createDecorator<readonly string[]>();

/** Metadata readers for the guard (and for subclasses of it). */
export const AuthMetadata = { Public, RequiredPermissions, RequiredRoles } as const;

/**
 * Requires every listed permission (`posts:create`). A principal holding only the `:own`
 * variant (`posts:update:own`) passes the guard; the owner is then checked where the resource
 * is loaded (`AccessControl.assertOwner`, or the CRUD hook of `AccessControl.crudHook`).
 *
 * @example
 * @HasPermission('posts:publish')
 * @Post(':id/publish') publish() {}
 */
export function HasPermission(...permissions: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RequiredPermissions(permissions),
    ApiForbiddenResponse({ description: `Missing permission: ${permissions.join(', ')}` }),
  );
}

/** Requires one of the roles (or a role inheriting it). @example @HasRole('editor') */
export function HasRole(...roles: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RequiredRoles(roles),
    ApiForbiddenResponse({ description: `Requires role: ${roles.join(' or ')}` }),
  );
}

/** Documents a controller as authenticated (bearer token or API key) in OpenAPI. */
export function ApiAuthenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'No, or a refused, access token or API key' }),
  );
}

/**
 * The request's principal (`AuthPrincipal`), or one of its fields.
 *
 * @example
 * @Get('me') me(@CurrentUser() user: AuthPrincipal) {}
 * @Get('mine') mine(@CurrentUser('id') userId: string) {}
 */
export const CurrentUser = createParamDecorator((field: string | undefined, ctx: ExecutionContext) => {
  const request = ctx.switchToHttp().getRequest<{ raw?: IncomingMessage } & IncomingMessage>();
  const principal = contextStoreOf(request.raw ?? request)?.principal;
  return field && principal ? principal[field] : principal;
});
