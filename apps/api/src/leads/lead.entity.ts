import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { LeadStatus } from '@acc/contracts';

/** A lead (migrations/001): the one definition of its columns for the API. */
@Entity('leads')
@Unique(['tenantId', 'phone'])
@Unique(['tenantId', 'externalId'])
export class LeadEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ type: 'text', nullable: true })
  lastName!: string | null;

  @Column({ type: 'text' })
  phone!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  company!: string | null;

  @Column({ type: 'text', default: 'new' })
  status!: LeadStatus;

  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ type: 'uuid', nullable: true })
  assignedAgentId!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'text', nullable: true })
  timezone!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextCallAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastContactedAt!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  customFields!: Record<string, unknown>;

  /** the lead's id in the tenant's CRM */
  @Column({ type: 'text', nullable: true })
  externalId!: string | null;

  /** kept by the database (a generated column) for the free-text search */
  @Column({ type: 'text', select: false, insert: false, update: false })
  searchText!: string;

  /** set by the database; only the demo seed backdates it */
  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
