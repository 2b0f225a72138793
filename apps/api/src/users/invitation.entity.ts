import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An invitation to a tenant, pending until the invitee accepts
 * (migrations/006): the membership it stands for is tenant_users' row with
 * status 'invited'; this row holds what the inviter typed and the mailed link
 * (only the SHA-256 of its token).
 */
@Entity('invitations')
export class InvitationEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** the name the inviter typed, shown to the tenant until acceptance */
  @Column({ type: 'text' })
  fullName!: string;

  @Column({ type: 'uuid', nullable: true })
  invitedBy!: string | null;

  @Column({ type: 'bytea', select: false })
  tokenHash!: Buffer;

  @Column({ type: 'timestamptz' })
  expiresAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', select: false, insert: false, update: false })
  updatedAt!: string;
}
