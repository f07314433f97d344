import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { KwikBaseEntity } from '@kwik/database';
import { Tenant } from './tenant.entity.js';

export const USER_ROLES = ['admin', 'editor', 'author', 'reader'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A member of one tenant with one role. */
@Entity('users')
@Index(['tenantId', 'email'], { unique: true })
export class User extends KwikBaseEntity {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenantId' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'enum', enum: USER_ROLES, enumName: 'user_role' })
  role!: UserRole;

  /** Password hash (PHC string); never serialized. */
  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash!: string;
}
