import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CampaignLeadState } from '@acc/contracts';

/** A lead of a started campaign and where it stands (migrations/011). */
@Entity('campaign_leads')
export class CampaignLeadEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryColumn('uuid')
  campaignId!: string;

  @PrimaryColumn('uuid')
  leadId!: string;

  @Column({ type: 'text', default: 'waiting' })
  state!: CampaignLeadState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'uuid', nullable: true })
  lastCallId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: string | null;

  /** why it waits or ended, in words */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** the same, as a code the progress counts by */
  @Column({ type: 'text', nullable: true })
  reasonCode!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
