import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { PasswordService } from '../auth/passwords';
import { Db } from '../tenancy/db.service';
import { DemoSize, insertDemoData } from './demo-data';

export const DEMO_EMAIL = 'demo@example.com';

export interface DemoLogin {
  email: string;
  password: string;
  tenantName: string;
}

/** The demo tenant a newcomer signs in to on the first run. */
@Injectable()
export class SeedService {
  private readonly log = new Logger('Seed');

  constructor(
    private readonly db: Db,
    private readonly passwords: PasswordService,
  ) {}

  /** True when no account exists yet (users is not tenant-scoped, so this needs no tenant). */
  async isEmpty(): Promise<boolean> {
    const [r] = await this.db.transaction({ purpose: 'signup' }, () =>
      this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'),
    );
    return r.n === 0;
  }

  async seedDemo(
    size: DemoSize = { agents: 3, leads: 300, calls: 400, days: 30 },
  ): Promise<DemoLogin> {
    const password = `demo-${randomBytes(6).toString('base64url')}`;
    const hash = await this.passwords.hash(password);
    const tenantId = randomUUID();
    const userId = randomUUID();
    const tenantName = 'Demo Call Center';
    await this.db.transaction({ tenantId, userId }, async () => {
      await this.db.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)`, [
        tenantId,
        tenantName,
        `demo-${tenantId.slice(0, 8)}`,
      ]);
      // re-seeding moves the demo login to the new tenant (older tokens die)
      const [user] = await this.db.query<{ id: string }>(
        `INSERT INTO users (id, email, password_hash, full_name, current_tenant_id, password_changed_at)
         VALUES ($1, $2, $3, 'Demo Owner', $4, now())
         ON CONFLICT ((lower(email))) DO UPDATE SET password_hash = EXCLUDED.password_hash,
           current_tenant_id = EXCLUDED.current_tenant_id, token_version = users.token_version + 1
         RETURNING id`,
        [userId, DEMO_EMAIL, hash, tenantId],
      );
      await this.db.query(
        `INSERT INTO tenant_configs (tenant_id, timezone) VALUES ($1, 'America/New_York')`,
        [tenantId],
      );
      await this.db.query(
        `INSERT INTO tenant_users (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`,
        [tenantId, user.id],
      );
      await insertDemoData(this.db, size, 1);
    });
    this.log.log(`demo tenant "${tenantName}" created: sign in as ${DEMO_EMAIL} / ${password}`);
    return { email: DEMO_EMAIL, password, tenantName };
  }
}
