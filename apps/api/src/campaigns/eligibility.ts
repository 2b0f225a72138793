import type {
  CallingWindow,
  CampaignLeadState,
  CampaignStatus,
  Eligibility,
  LeadStatus,
  WeekdayName,
} from '@acc/contracts';
import {
  DAY_NAMES_LONG,
  describeDays,
  hhmm,
  inWindow,
  localDateTime,
  localTime,
  nextWindowOpening,
} from './local-time';
import { zoneOfPhone } from './phone-zones';

/**
 * Whether a lead may be dialed now, and when it may be: pure rules, no I/O.
 * The engine asks at every dispatch, the eligibility route and "Call now"
 * ask the same function, so what the console explains is what the engine does.
 */

/** Why a lead is held back. `permanent` reasons no wait lifts; `time` ones pass; `capacity` ones wait for a free line. */
export type ReasonCode =
  | 'campaign_status'
  | 'campaign_not_started'
  | 'campaign_ended'
  | 'not_in_campaign'
  | 'lead_state'
  | 'lead_do_not_call'
  | 'do_not_call'
  | 'attempts'
  | 'retry_delay'
  | 'day'
  | 'window'
  | 'no_days'
  | 'campaign_cap'
  | 'tenant_cap'
  | 'lead_in_call';

const PERMANENT: ReadonlySet<ReasonCode> = new Set([
  'campaign_status',
  'campaign_ended',
  'not_in_campaign',
  'lead_state',
  'lead_do_not_call',
  'do_not_call',
  'attempts',
  'no_days',
]);
const CAPACITY: ReadonlySet<ReasonCode> = new Set(['campaign_cap', 'tenant_cap', 'lead_in_call']);

export interface Reason {
  code: ReasonCode;
  text: string;
}

export interface Schedule {
  days: readonly WeekdayName[];
  window: CallingWindow;
  /** 'lead' (the lead's own zone) or an IANA zone for every lead */
  timezone: string;
  startAt?: string | null;
  endAt?: string | null;
}

export interface EligibilityInput {
  now: number;
  lead: { phone: string; status: LeadStatus; timezone: string | null };
  tenant: { timezone: string; maxConcurrentCalls: number; activeCalls: number };
  /** another call to this lead is in progress (from anywhere): one line per person */
  leadInCall?: boolean;
  /** the number's do-not-call entry, if listed */
  dnc: { createdAt: string; reason: string | null } | null;
  /** the days, window and zone rule that apply (the campaign's, or the tenant's for "Call now") */
  schedule: Schedule;
  /** "Call now" by an admin may ignore the window and days; nothing else */
  ignoreWindow?: boolean;
  campaign?: {
    status: CampaignStatus;
    maxConcurrentCalls: number | null;
    activeCalls: number;
    maxAttempts: number;
    retryDelayMinutes: number;
    /** the lead's row in the campaign; undefined when the campaign has not frozen it (or not started) */
    lead?: {
      state: CampaignLeadState;
      attempts: number;
      /** when its last call ended (or was placed, if it never ended) */
      lastAttemptAt: string | null;
    };
  };
}

export interface EligibilityResult extends Eligibility {
  codes: ReasonCode[];
  /** no wait will make it eligible (the engine skips or fails the lead) */
  permanent: boolean;
  /** only the concurrency caps, or the lead's own call in progress, stand in the way (the engine tries again when a line frees) */
  capacityOnly: boolean;
}

export type ZoneSource = Eligibility['timezone']['source'];

/**
 * The zone of a lead's calling window, in this order: the campaign's own
 * zone when it names one; the lead's `timezone`; the zone its phone number
 * pins (countries with one zone, phone-zones.ts); the tenant's.
 */
export function leadZone(
  schedule: Pick<Schedule, 'timezone'>,
  lead: { phone: string; timezone: string | null },
  tenantZone: string,
): { zone: string; source: ZoneSource } {
  if (schedule.timezone !== 'lead') return { zone: schedule.timezone, source: 'campaign' };
  if (lead.timezone) return { zone: lead.timezone, source: 'lead' };
  const byPhone = zoneOfPhone(lead.phone);
  if (byPhone) return { zone: byPhone, source: 'phone' };
  return { zone: tenantZone, source: 'tenant' };
}

const iso = (t: number) => new Date(t).toISOString();
const minute = (t: number) => iso(t).slice(0, 16).replace('T', ' ') + ' UTC';

const STATE_TEXT: Partial<Record<CampaignLeadState, string>> = {
  dialing: 'a call to this lead is in progress',
  completed: 'already reached in this campaign',
  failed: 'this campaign has given up on the lead',
  skipped: 'skipped by this campaign',
};

const STATUS_TEXT: Record<CampaignStatus, string> = {
  draft: 'the campaign has not started',
  running: '',
  paused: 'the campaign is paused',
  completed: 'the campaign has completed',
  cancelled: 'the campaign was cancelled',
};

export function evaluate(input: EligibilityInput): EligibilityResult {
  const { now, lead, tenant, campaign, schedule } = input;
  const reasons: Reason[] = [];
  const add = (code: ReasonCode, text: string) => reasons.push({ code, text });
  const { zone, source } = leadZone(schedule, lead, tenant.timezone);
  const local = localTime(now, zone);
  /** the earliest instant the time rules may allow */
  let earliest = now;

  if (campaign && campaign.status !== 'running')
    add('campaign_status', STATUS_TEXT[campaign.status]);
  const startAt = schedule.startAt ? Date.parse(schedule.startAt) : null;
  const endAt = schedule.endAt ? Date.parse(schedule.endAt) : null;
  if (startAt !== null && now < startAt) {
    add('campaign_not_started', `the campaign starts at ${minute(startAt)}`);
    earliest = Math.max(earliest, startAt);
  }
  if (endAt !== null && now >= endAt)
    add('campaign_ended', `the campaign ended at ${minute(endAt)}`);

  if (lead.status === 'do_not_call') add('lead_do_not_call', 'the lead is marked do not call');
  if (input.dnc) {
    const why = input.dnc.reason ? ` (${input.dnc.reason})` : '';
    add(
      'do_not_call',
      `on the do-not-call list since ${minute(Date.parse(input.dnc.createdAt))}${why}`,
    );
  }

  const row = campaign?.lead;
  if (campaign && campaign.status === 'running' && !row)
    add('not_in_campaign', "not in this campaign's lead list");
  if (campaign && row) {
    const stateText = STATE_TEXT[row.state];
    if (stateText) add('lead_state', stateText);
    if (row.attempts >= campaign.maxAttempts && row.state !== 'dialing')
      add('attempts', `${row.attempts} of ${campaign.maxAttempts} attempts used`);
    else if (row.lastAttemptAt && (row.state === 'waiting' || row.state === 'scheduled')) {
      const retryAt = Date.parse(row.lastAttemptAt) + campaign.retryDelayMinutes * 60_000;
      if (now < retryAt) {
        add(
          'retry_delay',
          `next attempt not before ${minute(retryAt)} (${campaign.retryDelayMinutes} min after the last)`,
        );
        earliest = Math.max(earliest, retryAt);
      }
    }
  }

  if (!input.ignoreWindow) {
    const here = inWindow(now, zone, schedule.days, schedule.window);
    const window = `window ${schedule.window.start}-${schedule.window.end}`;
    if (!here.day)
      add(
        'day',
        `${DAY_NAMES_LONG[local.weekday - 1]} in ${zone}, calling days ${describeDays(schedule.days)}`,
      );
    else if (!here.time) add('window', `${hhmm(local)} in ${zone}, ${window}`);
  }

  let next: number | null = null;
  if (!reasons.some((r) => PERMANENT.has(r.code))) {
    next = input.ignoreWindow
      ? earliest
      : nextWindowOpening(earliest, zone, schedule.days, schedule.window);
    if (next === null) add('no_days', 'no calling day is allowed');
    else if (endAt !== null && next >= endAt) {
      add('campaign_ended', `the campaign ends (${minute(endAt)}) before the lead may be called`);
      next = null;
    }
  }

  if (campaign?.maxConcurrentCalls != null && campaign.activeCalls >= campaign.maxConcurrentCalls)
    add(
      'campaign_cap',
      `the campaign is at its limit: ${campaign.activeCalls} of ${campaign.maxConcurrentCalls} calls in progress`,
    );
  if (input.leadInCall && campaign?.lead?.state !== 'dialing')
    add('lead_in_call', 'another call to this lead is in progress');
  if (tenant.activeCalls >= tenant.maxConcurrentCalls)
    add(
      'tenant_cap',
      `the workspace is at its limit: ${tenant.activeCalls} of ${tenant.maxConcurrentCalls} calls in progress`,
    );

  const blocked = next === null;
  return {
    eligible: reasons.length === 0,
    reasons: reasons.map((r) => r.text),
    codes: reasons.map((r) => r.code),
    nextEligibleAt: blocked || next === null ? null : iso(next),
    timezone: { zone, source },
    localTime: localDateTime(local),
    permanent: blocked,
    capacityOnly: reasons.length > 0 && reasons.every((r) => CAPACITY.has(r.code)),
  };
}
