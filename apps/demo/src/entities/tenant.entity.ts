import { Column, Entity, Index } from 'typeorm';
import { KwikBaseEntity } from '@kwik/database';

/** An organization using the platform (`acme`, `globex`). */
@Entity('tenants')
export class Tenant extends KwikBaseEntity {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;
}
