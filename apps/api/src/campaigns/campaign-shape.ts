import type { Campaign, CampaignProgress } from '@acc/contracts';
import type { ProgressRow } from './campaign-leads.repository';
import type { CampaignRow } from './campaigns.repository';

export const emptyProgress = (): CampaignProgress => ({
  total: 0,
  waiting: 0,
  scheduled: 0,
  dialing: 0,
  completed: 0,
  failed: 0,
  skipped: 0,
  skippedBy: {},
});

/** The API shape of a stored campaign and its counts. */
export function toCampaign(
  row: CampaignRow,
  progress: CampaignProgress = emptyProgress(),
): Campaign {
  return {
    id: row.id,
    name: row.name,
    agentId: row.agentId,
    status: row.status,
    leads: row.leads,
    schedule: {
      startAt: row.startAt,
      endAt: row.endAt,
      days: row.days,
      window: { start: row.windowStart, end: row.windowEnd },
      timezone: row.timezone,
    },
    maxConcurrentCalls: row.maxConcurrentCalls,
    retry: {
      maxAttempts: row.maxAttempts,
      outcomes: row.retryOutcomes,
      delayMinutes: row.retryDelayMinutes,
    },
    progress,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function progressOf(rows: ProgressRow[]): Map<string, CampaignProgress> {
  const out = new Map<string, CampaignProgress>();
  for (const r of rows) {
    let p = out.get(r.campaignId);
    if (!p) out.set(r.campaignId, (p = emptyProgress()));
    p.total += r.n;
    p[r.state] += r.n;
    if (r.state === 'skipped') {
      const why = r.reasonCode ?? 'other';
      p.skippedBy[why] = (p.skippedBy[why] ?? 0) + r.n;
    }
  }
  return out;
}
