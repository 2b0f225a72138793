import { Column, Entity, PrimaryColumn } from 'typeorm';

/** API calls per tenant and day (migrations/002). */
@Entity('api_usage')
export class ApiUsageEntity {
  @PrimaryColumn('uuid')
  tenantId!: string;

  @PrimaryColumn('date')
  day!: string;

  @Column({ type: 'bigint', default: 0 })
  apiCalls!: string;
}
