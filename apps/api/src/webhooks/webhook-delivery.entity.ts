import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { WebhookDelivery } from '@acc/contracts';

/** One event to one endpoint, with its last attempt (migrations/008). */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', select: false })
  endpointId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: WebhookDelivery['status'];

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  nextAttemptAt!: string | null;

  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false, select: false })
  updatedAt!: string;
}
