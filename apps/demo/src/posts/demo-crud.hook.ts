import { Injectable } from '@nestjs/common';
import { AccessControl } from '@kwik/auth';
import { CrudHooks } from '@kwik/data';
import { TenantContext, tenantCrudHook } from '@kwik/tenant';
import { DemoActorService } from './demo-actor.service.js';

/**
 * The demo's global CRUD hooks: the tenancy library's hook limits every `@TenantScoped()`
 * resource to the request's tenant and stamps new rows with it (row-level security backs it up
 * in PostgreSQL); a new row with an `authorId` gets the signed-in user; and the auth library's
 * access hook checks `posts:<action>` (with `posts:update:own` resolved against `authorId`).
 */
@Injectable()
export class DemoCrudHook {
  constructor(hooks: CrudHooks, actors: DemoActorService, access: AccessControl, tenants: TenantContext) {
    hooks.register(tenantCrudHook(() => tenants.current?.id));
    hooks.register({
      name: 'demo-author',
      prepareCreate: (entity, _dto, { resource }) => {
        if (resource.metadata.findColumnWithPropertyName('authorId'))
          entity.authorId = actors.current().userId;
      },
    });
    hooks.register(access.crudHook({ resource: 'posts', owner: 'authorId', entities: ['Post'] }));
  }
}
