import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Tenant } from '@acc/contracts';

/** A tenant (migrations/001): the one definition of its columns for the API. */
@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text', nullable: true })
  domain!: string | null;

  @Column({ type: 'text', default: 'active' })
  status!: Tenant['status'];

  @Column({ type: 'text', default: 'free' })
  plan!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt!: string;

  @Column({ type: 'timestamptz', select: false, insert: false, update: false })
  updatedAt!: string;
}
