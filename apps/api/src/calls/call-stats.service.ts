import { BadRequestException, Injectable } from '@nestjs/common';
import type { CallStats, CallStatsQuery } from '@acc/contracts';
import { CallsRepository } from './calls.repository';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 366;

@Injectable()
export class CallStatsService {
  constructor(private readonly calls: CallsRepository) {}

  async stats(q: CallStatsQuery): Promise<CallStats> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    if (from >= to) throw new BadRequestException(['from: must be before to']);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
      throw new BadRequestException([`to: the range is limited to ${MAX_RANGE_DAYS} days`]);
    }
    const row = await this.calls.stats(from.toISOString(), to.toISOString());
    const totals = row.totals;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      timezone: row.timezone,
      totals: { ...totals, totalCost: Number(totals.totalCost) },
      byStatus: row.byStatus,
      byOutcome: row.byOutcome,
      byAgent: row.byAgent.map((a) => ({ ...a, totalCost: Number(a.totalCost) })),
      byDay: row.byDay,
    };
  }
}
