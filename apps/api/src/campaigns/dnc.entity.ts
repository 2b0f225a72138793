import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A number on the tenant's do-not-call list (migrations/011), in E.164. */
@Entity('dnc_numbers')
@Unique(['tenantId', 'phone'])
export class DncEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  phone!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** the person who added it */
  @Column({ type: 'uuid', nullable: true, select: false })
  createdBy!: string | null;

  /** the API key that added it */
  @Column({ type: 'uuid', nullable: true, select: false })
  createdByKey!: string | null;

  /** the call whose do-not-call disposition added it */
  @Column({ type: 'uuid', nullable: true, select: false })
  callId!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', select: false, insert: false, update: false })
  updatedAt!: string;
}
