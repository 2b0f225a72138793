import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Call } from '@acc/contracts';

/** A call between an agent and a lead (migrations/001): the one definition of its columns for the API. */
@Entity('calls')
export class CallEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  agentId!: string;

  @Column({ type: 'uuid', nullable: true })
  leadId!: string | null;

  /**
   * the agent's version the call ran with (migration 014): given, or the one
   * current at its start; set again by its dispatch (the version sent) and by
   * a provider's event that says which ran
   */
  @Column({ type: 'integer', nullable: true })
  agentVersion!: number | null;

  @Column({ type: 'text' })
  direction!: Call['direction'];

  @Column({ type: 'text', default: 'queued' })
  status!: Call['status'];

  @Column({ type: 'text' })
  fromNumber!: string;

  @Column({ type: 'text' })
  toNumber!: string;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: string | null;

  /** kept by the database (a generated column) from answeredAt and endedAt */
  @Column({ type: 'integer', nullable: true, insert: false, update: false })
  durationSeconds!: number | null;

  @Column({ type: 'text', nullable: true })
  endReason!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ type: 'text', nullable: true })
  sentiment!: Call['sentiment'];

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ type: 'text', nullable: true })
  recordingUrl!: string | null;

  @Column({ type: 'numeric', precision: 12, scale: 4, nullable: true })
  cost!: number | null;

  /** the provider's structured analysis (migration 010): read only on a single call */
  @Column({ type: 'jsonb', nullable: true })
  analysis!: Call['analysis'];

  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  @Column({ type: 'text', nullable: true })
  providerCallId!: string | null;

  /** set by the database; only the demo seed backdates it */
  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;

  /** the turns of the conversation: read only on a single call, never in lists */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  transcript!: Call['transcript'];
}
