import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per tenant: its calling settings (migrations/001). */
@Entity('tenant_configs')
export class TenantConfigEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @Column({ type: 'text', default: 'UTC' })
  timezone!: string;

  @Column({ type: 'text', default: '09:00' })
  callingWindowStart!: string;

  @Column({ type: 'text', default: '18:00' })
  callingWindowEnd!: string;

  @Column({ type: 'smallint', array: true, default: () => "'{1,2,3,4,5}'" })
  callingDays!: number[];

  @Column({ type: 'uuid', nullable: true })
  defaultAgentId!: string | null;

  @Column({ type: 'integer', default: 5 })
  maxConcurrentCalls!: number;

  @Column({ type: 'boolean', default: true })
  recordingEnabled!: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: Record<string, unknown>;

  /** migrations/013: the audit log's retention */
  @Column({ type: 'integer', default: 365 })
  auditRetentionDays!: number;

  // the dialer (migrations/012): read and written through dialer() / putDialer() only

  @Column({ type: 'text', default: 'simulator', select: false })
  dialer!: string;

  @Column({ type: 'text', nullable: true, select: false })
  callerId!: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  dialerUrl!: string | null;

  /** sealed (common/secret-box.ts), never answered */
  @Column({ type: 'bytea', nullable: true, select: false })
  dialerSecret!: Buffer | null;

  @Column({ type: 'jsonb', default: () => "'{}'", select: false })
  dialerOptions!: Record<string, unknown>;

  @Column({ type: 'timestamptz', select: false, insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
