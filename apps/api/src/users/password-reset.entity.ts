import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A single-use link: a password reset, or an invitation to a tenant
 * (purpose 'invite'). Only the SHA-256 of the token is stored.
 */
@Entity('password_resets')
export class PasswordResetEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'text', default: 'reset' })
  purpose!: 'reset' | 'invite';

  /** for an invitation: the tenant whose membership it activates */
  @Column({ type: 'uuid', nullable: true })
  invitedTenantId!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: string | null;

  @Column({ type: 'inet', nullable: true })
  requesterIp!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;
}
