import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One refresh token of a session, stored as its SHA-256; spent on first use. */
@Entity('kwik_auth_refresh_tokens')
@Index('IDX_kwik_auth_refresh_tokens_session', ['sessionId'])
export class AuthRefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  sessionId!: string;

  /** SHA-256 (hex) of the token. */
  @Index('IDX_kwik_auth_refresh_tokens_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  hash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** When it was exchanged for a new pair; presenting it again is reuse. */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
