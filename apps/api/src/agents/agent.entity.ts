import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Agent } from '@acc/contracts';

/** An AI voice agent (migrations/001): the one definition of its columns for the API. */
@Entity('agents')
@Unique(['tenantId', 'vapiAssistantId'])
@Unique(['tenantId', 'retellAgentId'])
export class AgentEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'active' })
  status!: Agent['status'];

  @Column({ type: 'text', default: 'outbound' })
  direction!: Agent['direction'];

  @Column({ type: 'text', default: 'en-US' })
  language!: string;

  @Column({ type: 'text' })
  voice!: string;

  @Column({ type: 'text' })
  llmProvider!: string;

  @Column({ type: 'text' })
  llmModel!: string;

  @Column({ type: 'real', default: 0.7 })
  temperature!: number;

  @Column({ type: 'text', default: '' })
  systemPrompt!: string;

  @Column({ type: 'text', default: '' })
  firstMessage!: string;

  @Column({ type: 'integer', default: 600 })
  maxCallSeconds!: number;

  @Column({ type: 'integer', default: 10 })
  silenceTimeoutSeconds!: number;

  @Column({ type: 'text', default: 'hang_up' })
  voicemailBehavior!: Agent['voicemailBehavior'];

  @Column({ type: 'text', nullable: true })
  voicemailMessage!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  transferDestinations!: Agent['transferDestinations'];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  dispositionCodes!: string[];

  /** the provider's ids of this agent (migration 010): call events name them */
  @Column({ type: 'text', nullable: true })
  vapiAssistantId!: string | null;

  @Column({ type: 'text', nullable: true })
  retellAgentId!: string | null;

  /** the current version (migration 014): numbered by the database on each change of behaviour */
  @Column({ type: 'integer', insert: false, update: false })
  version!: number;

  @Column({ type: 'jsonb', select: false, default: () => "'{}'" })
  settings!: Record<string, unknown>;

  /** set by the database; only the demo seed backdates it */
  @Column({ type: 'timestamptz', update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
