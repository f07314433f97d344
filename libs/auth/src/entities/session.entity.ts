import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One sign-in of one device: the family of its refresh tokens. Revoking it ends every token of
 * the family, access tokens included (they carry its id as `sid`).
 */
@Entity('kwik_auth_sessions')
@Index('IDX_kwik_auth_sessions_user', ['userId', 'createdAt'])
export class AuthSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastUsedAt!: Date;

  /** The session ends then, however often it is refreshed. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** `logout`, `logout-all`, `refresh-reuse`, `revoked`, `user-disabled`. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  revokedReason!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /** Whether the sign-in passed a second factor. */
  @Column({ type: 'boolean', default: false })
  mfa!: boolean;
}
