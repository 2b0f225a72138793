import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** An event of the outbox (migrations/008): the body sent, byte for byte, on every attempt. */
@Entity('webhook_events')
export class WebhookEventEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'json' })
  payload!: string;

  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;
}
