import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IntegrationProvider } from '@acc/contracts';

/** A tenant's credentials for one voice provider's webhook (migrations/010). */
@Entity('integrations')
export class IntegrationEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  provider!: IntegrationProvider;

  /** the secret sealed by SecretBox: never selected by default, never answered */
  @Column({ type: 'bytea', select: false })
  secretBox!: Buffer;

  @Column({ type: 'timestamptz', nullable: true })
  lastEventAt!: string | null;

  @Column({ type: 'uuid', nullable: true, select: false })
  updatedBy!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
