import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A role of the hierarchy; those declared in code are written here at boot, others may be added. */
@Entity('kwik_auth_roles')
export class AuthRole {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  inherits!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: string[];

  @Column({ type: 'varchar', length: 300, nullable: true })
  description!: string | null;

  /** Declared in `AuthModule.forRoot({ roles })`: rewritten from code at every boot. */
  @Column({ type: 'boolean', default: false })
  fromCode!: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
