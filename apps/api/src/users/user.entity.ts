import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person's account, across tenants (migrations/001). Only the public
 * fields are selected by default; the password hash and session state are
 * read by name where a rule needs them.
 */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ type: 'text' })
  fullName!: string;

  @Column({ type: 'uuid', nullable: true, select: false })
  currentTenantId!: string | null;

  @Column({ type: 'boolean', default: true, select: false })
  isActive!: boolean;

  /** users.token_version: a password change makes every older token invalid */
  @Column({ type: 'integer', default: 0, select: false })
  tokenVersion!: number;

  @Column({ type: 'timestamptz', nullable: true, select: false })
  passwordChangedAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true, select: false })
  lastLoginAt!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', select: false, insert: false, update: false })
  updatedAt!: string;
}
