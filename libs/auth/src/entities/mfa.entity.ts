import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A user's TOTP second factor: the sealed secret, hashed recovery codes, the last accepted step. */
@Entity('kwik_auth_mfa')
export class AuthMfa {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  /** The TOTP secret, AES-256-GCM sealed with a key derived from the app secret. */
  @Column({ type: 'text' })
  secret!: string;

  /** Set by the first verified code; until then MFA is pending, not required. */
  @Column({ type: 'timestamptz', nullable: true })
  enabledAt!: Date | null;

  /** SHA-256 of the unused recovery codes. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  recoveryCodes!: string[];

  /** The last accepted time step (a code is never accepted twice). */
  @Column({ type: 'bigint', nullable: true })
  lastStep!: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
