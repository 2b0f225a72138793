import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { WebhookEventType } from '@acc/contracts';

/**
 * A tenant's webhook endpoint (migrations/008). Its signing secret is
 * sealed (secretBox, migrations/018), opened only to sign a delivery; the
 * API answers it once, when it makes it (create, rotate).
 */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true })
  events!: WebhookEventType[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'text', nullable: true })
  disabledReason!: string | null;

  /** plain, only in a row written before migrations/018 until the seal job has run */
  @Column({ type: 'text', nullable: true, select: false })
  secret!: string | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  secretBox!: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true, select: false })
  failingSince!: string | null;

  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
