import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { WebhookEventType } from '@acc/contracts';

/** A tenant's webhook endpoint (migrations/008). The secret is read only to sign and to show once. */
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

  @Column({ type: 'text', select: false })
  secret!: string;

  @Column({ type: 'timestamptz', nullable: true, select: false })
  failingSince!: string | null;

  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
