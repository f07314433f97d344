import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One audited auth event (see `AuditEventType`). */
@Entity('kwik_auth_audit')
@Index('IDX_kwik_auth_audit_type', ['type', 'at'])
@Index('IDX_kwik_auth_audit_actor', ['actorId', 'at'])
export class AuthAuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  /** Who acted (the signed-in user), when known. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** What it was about (a user, session or API key id). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  subject!: string | null;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
