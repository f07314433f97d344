import { Injectable } from '@nestjs/common';
import { AccessControl } from '@kwik/auth';
import { CrudHooks } from '@kwik/data';
import { DemoActorService } from './demo-actor.service.js';

/**
 * The demo's global CRUD hooks: every query of a resource with a `tenantId` column is limited to
 * the signed-in user's tenant, a new row gets that tenant and (when it has an `authorId`) the
 * user; and the auth library's access hook checks `posts:<action>` (with `posts:update:own`
 * resolved against `authorId`) on every posts action.
 */
@Injectable()
export class DemoCrudHook {
  constructor(hooks: CrudHooks, actors: DemoActorService, access: AccessControl) {
    hooks.register({
      name: 'demo-tenant',
      scope: (qb, { resource }) => {
        if (!resource.metadata.findColumnWithPropertyName('tenantId')) return;
        qb.andWhere(`${qb.alias}.tenantId = :demoTenantId`, { demoTenantId: actors.current().tenantId });
      },
      prepareCreate: (entity, _dto, { resource }) => {
        const { tenantId, userId } = actors.current();
        if (resource.metadata.findColumnWithPropertyName('tenantId')) entity.tenantId = tenantId;
        if (resource.metadata.findColumnWithPropertyName('authorId')) entity.authorId = userId;
      },
    });
    hooks.register(access.crudHook({ resource: 'posts', owner: 'authorId', entities: ['Post'] }));
  }
}
