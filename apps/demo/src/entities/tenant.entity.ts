import { Entity } from 'typeorm';
import { KwikTenant } from '@kwik/tenant';

/** An organization using the platform (`acme`, `globex`): the tenant registry of `@kwik/tenant`. */
@Entity('tenants')
export class Tenant extends KwikTenant {}
