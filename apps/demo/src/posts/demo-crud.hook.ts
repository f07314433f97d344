import { Injectable } from '@nestjs/common';
import { CrudHooks } from '@kwik/data';
import { DemoActorService } from './demo-actor.service.js';

/**
 * The demo's implicit actor as a global CRUD hook — what the tenant and auth libraries will register
 * in its place: every query of a resource with a `tenantId` column is limited to the actor's tenant,
 * and a new row gets the tenant and (when it has an `authorId`) the acting user.
 */
@Injectable()
export class DemoCrudHook {
  constructor(hooks: CrudHooks, actors: DemoActorService) {
    hooks.register({
      name: 'demo-actor',
      scope: (qb, { resource }) => {
        if (!resource.metadata.findColumnWithPropertyName('tenantId')) return undefined;
        const where = ({ tenantId }: { tenantId: string }): void => {
          qb.andWhere(`${qb.alias}.tenantId = :demoTenantId`, { demoTenantId: tenantId });
        };
        // Synchronous once the actor is known: the list path awaits only hooks that return a promise.
        const known = actors.cached;
        return known ? where(known) : actors.current().then(where);
      },
      prepareCreate: async (entity, _dto, { resource }) => {
        const { tenantId, userId } = await actors.current();
        if (resource.metadata.findColumnWithPropertyName('tenantId')) entity.tenantId = tenantId;
        if (resource.metadata.findColumnWithPropertyName('authorId')) entity.authorId = userId;
      },
    });
  }
}
