import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A single-use password reset link. Only the SHA-256 of the token is stored. */
@Entity('password_resets')
export class PasswordResetEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'timestamptz' })
  expiresAt!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: string | null;

  @Column({ type: 'inet', nullable: true })
  requesterIp!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;
}
