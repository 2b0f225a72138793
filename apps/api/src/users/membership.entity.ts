import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Member } from '@acc/contracts';

/** A user's membership of a tenant, with its role (migrations/001: tenant_users). */
@Entity('tenant_users')
export class MembershipEntity {
  @PrimaryColumn('uuid')
  tenantId!: string;

  @PrimaryColumn('uuid')
  userId!: string;

  @Column({ type: 'text' })
  role!: Member['role'];

  @Column({ type: 'text', default: 'active' })
  status!: Member['status'];

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  updatedAt!: string;
}
