import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiKeyRole } from '@acc/contracts';

/**
 * A workspace API key (migrations/007): its SHA-256 and display prefix,
 * never the key itself. Read by app_begin_key() on every request that
 * presents one; deleted when revoked.
 */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid', { select: false })
  tenantId!: string;

  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  prefix!: string;

  @Column({ type: 'bytea', select: false })
  keyHash!: Buffer;

  @Column({ type: 'text' })
  role!: ApiKeyRole;

  @Column({ type: 'uuid', nullable: true, select: false })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: string | null;

  @Column({ type: 'timestamptz', nullable: true, insert: false })
  lastUsedAt!: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', select: false, insert: false, update: false })
  updatedAt!: string;
}
