import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AgentsRepository } from '../agents/agents.repository';
import { PasswordService } from '../auth/passwords';
import { CallsRepository } from '../calls/calls.repository';
import { LeadsRepository } from '../leads/leads.repository';
import { Db } from '../tenancy/db.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { DemoSize, demoData } from './demo-data';

export const DEMO_EMAIL = 'demo@example.com';

export interface DemoLogin {
  email: string;
  password: string;
  tenantName: string;
}

/** The demo tenant a newcomer signs in to on the first run, written through each table's owner. */
@Injectable()
export class SeedService {
  private readonly log = new Logger('Seed');

  constructor(
    private readonly db: Db,
    private readonly passwords: PasswordService,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly agents: AgentsRepository,
    private readonly leads: LeadsRepository,
    private readonly calls: CallsRepository,
  ) {}

  /** True when no account exists yet. */
  isEmpty(): Promise<boolean> {
    return this.db.transaction({ purpose: 'signup' }, () => this.users.none());
  }

  async seedDemo(
    size: DemoSize = { agents: 3, leads: 300, calls: 400, days: 30 },
  ): Promise<DemoLogin> {
    const password = `demo-${randomBytes(6).toString('base64url')}`;
    const passwordHash = await this.passwords.hash(password);
    const tenantId = randomUUID();
    const tenantName = 'Demo Call Center';
    const userId = randomUUID();
    await this.db.transaction({ tenantId, userId }, async () => {
      await this.tenants.insert(tenantId, tenantName, `demo-${tenantId.slice(0, 8)}`);
      // re-seeding moves the demo login to the new tenant with a new password (older tokens die)
      const user = await this.users.insertOrClaim(
        {
          id: userId,
          email: DEMO_EMAIL,
          passwordHash,
          fullName: 'Demo Owner',
          currentTenantId: tenantId,
        },
        true,
      );
      const ownerId = (user as { id: string }).id;
      // a re-seed claims the existing demo login: its writes (agent versions) are that person's
      if (ownerId !== userId) await this.db.actAs(ownerId);
      await this.users.addMember(ownerId, 'owner', 'active');
      const data = demoData(size, 1);
      await this.agents.insert(data.agents);
      // the demo calls at any hour, so that a campaign started on a first run shows calls at
      // once (a new workspace starts at 09:00-18:00, Monday to Friday)
      await this.tenants.insertConfig({
        tenantId,
        timezone: 'America/New_York',
        callingWindowStart: '00:00',
        callingWindowEnd: '23:59',
        callingDays: [1, 2, 3, 4, 5, 6, 7],
        defaultAgentId: data.agents[0]?.id ?? null,
      });
      await this.leads.insertMany(data.leads);
      for (let i = 0; i < data.calls.length; i += 1_000)
        await this.calls.insertNew(data.calls.slice(i, i + 1_000));
    });
    this.log.log(`demo tenant "${tenantName}" created: sign in as ${DEMO_EMAIL} / ${password}`);
    return { email: DEMO_EMAIL, password, tenantName };
  }
}
