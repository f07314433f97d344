import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { KwikUser } from '@kwik/auth';
import { Tenant } from './tenant.entity.js';
import { TenantScoped } from '@kwik/tenant';

export const USER_ROLES = ['admin', 'editor', 'author', 'reader'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A member of one tenant: the auth library's user columns (email, roles, password hash) plus the tenant. */
@TenantScoped()
@Entity('users')
@Index(['tenantId', 'email'], { unique: true })
export class User extends KwikUser {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenantId' })
  tenant?: Relation<Tenant>;
}
