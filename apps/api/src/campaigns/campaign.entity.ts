import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type {
  CampaignLeadSelector,
  CampaignStatus,
  RetryOutcome,
  WeekdayName,
} from '@acc/contracts';

/** A campaign (migrations/011): who calls which leads, when, how often, how many at once. */
@Entity('campaigns')
export class CampaignEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'uuid' })
  agentId!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: CampaignStatus;

  /** the selector as given; frozen into campaign_leads at the start */
  @Column({ type: 'jsonb' })
  leads!: CampaignLeadSelector;

  @Column({ type: 'timestamptz', nullable: true })
  startAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  endAt!: string | null;

  @Column({ type: 'text', array: true })
  days!: WeekdayName[];

  @Column({ type: 'text' })
  windowStart!: string;

  @Column({ type: 'text' })
  windowEnd!: string;

  /** 'lead' or an IANA zone */
  @Column({ type: 'text', default: 'lead' })
  timezone!: string;

  @Column({ type: 'integer', nullable: true })
  maxConcurrentCalls!: number | null;

  @Column({ type: 'integer' })
  maxAttempts!: number;

  @Column({ type: 'text', array: true })
  retryOutcomes!: RetryOutcome[];

  @Column({ type: 'integer' })
  retryDelayMinutes!: number;

  @Column({ type: 'uuid', nullable: true, select: false })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
