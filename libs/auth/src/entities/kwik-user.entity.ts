import { Column } from 'typeorm';
import { KwikBaseEntity } from '@kwik/database';

/**
 * The columns the auth library needs on the app's user table. Extend it, add your own columns and
 * decorate the subclass with `@Entity()`; pass it as `AuthModule.forRoot({ userEntity })`. A
 * `tenantId` column, when present, becomes the principal's tenant.
 *
 * @example
 * @Entity('users')
 * export class User extends KwikUser {
 *   @Column({ type: 'uuid' }) tenantId!: string;
 * }
 */
export abstract class KwikUser extends KwikBaseEntity {
  /** Sign-in email, stored lower-case. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  displayName!: string;

  /** Role names of the hierarchy configured in `AuthModule.forRoot({ roles })`. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: string[];

  /** PHC password hash (argon2id); never selected unless asked for. */
  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash!: string;

  /** A disabled user cannot sign in and its sessions are revoked. */
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;
}
