import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { CallStats, CallStatsQuery } from '@acc/contracts';
import { AgentsRepository } from '../agents/agents.repository';
import { CallsRepository } from './calls.repository';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 366;

@Injectable()
export class CallStatsService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly agents: AgentsRepository,
  ) {}

  async stats(q: CallStatsQuery): Promise<CallStats> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    if (from >= to) throw new BadRequestException(['from: must be before to']);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
      throw new BadRequestException([`to: the range is limited to ${MAX_RANGE_DAYS} days`]);
    }
    const agentId = q.agentId ?? null;
    if (agentId && !(await this.agents.status(agentId)))
      throw new NotFoundException('agentId: agent not found');
    const row = await this.calls.stats(from.toISOString(), to.toISOString(), agentId);
    const totals = row.totals;
    const versions =
      q.groupBy === 'agentVersion'
        ? await this.calls.versionStats(from.toISOString(), to.toISOString(), agentId)
        : undefined;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      timezone: row.timezone,
      totals: { ...totals, totalCost: Number(totals.totalCost) },
      byStatus: row.byStatus,
      byOutcome: row.byOutcome,
      byAgent: row.byAgent.map((a) => ({ ...a, totalCost: Number(a.totalCost) })),
      byDay: row.byDay,
      ...(versions && {
        byAgentVersion: versions.byAgentVersion.map((v) => ({
          ...v,
          totalCost: Number(v.totalCost),
        })),
        versionChanges: versions.versionChanges,
      }),
    };
  }
}
