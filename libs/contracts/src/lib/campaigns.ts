import { z } from 'zod';
import {
  IsoDateTime,
  PageQuery,
  StorableDateTime,
  TimeZone,
  Uuid,
  optionalText,
  pageOf,
  searchTerm,
  text,
} from './common';
import { CallStatus } from './calls';
import { LeadStatus, Tags } from './leads';
import { Phone } from './phone';
import { HHMM } from './tenants';

// ---- do-not-call list

/** Who put a number on the list: a person, an API key, or a call whose disposition asked for it. */
export const DncAddedBy = z.object({
  type: z.enum(['user', 'api_key', 'call']),
  id: Uuid,
  /** the person's or key's name; null for a call */
  name: z.string().nullable(),
});
export type DncAddedBy = z.infer<typeof DncAddedBy>;

export const DncEntry = z.object({
  id: Uuid,
  phone: z.string(),
  reason: z.string().nullable(),
  createdAt: IsoDateTime,
  /** null once that person or key is deleted */
  createdBy: DncAddedBy.nullable(),
});
export type DncEntry = z.infer<typeof DncEntry>;

export const CreateDncRequest = z.strictObject({
  phone: Phone,
  reason: optionalText(500),
});
export type CreateDncRequest = z.infer<typeof CreateDncRequest>;

export const DncListQuery = PageQuery.extend({
  /** digits anywhere in the number */
  q: searchTerm(32).optional(),
});
export type DncListQuery = z.infer<typeof DncListQuery>;

export const DncPage = pageOf(DncEntry);

/** POST /dnc/import: a CSV with a phone column (and optionally reason); numbers already listed are kept as they are. */
export const DncImportResult = z.object({
  inserted: z.number().int(),
  existing: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type DncImportResult = z.infer<typeof DncImportResult>;

// ---- campaigns

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdayName = z.enum(WEEKDAY_NAMES);
export type WeekdayName = z.infer<typeof WeekdayName>;

/** ISO weekday (1 = Monday, the tenant settings' numbering) to its name. */
export const weekdayName = (iso: number): WeekdayName => WEEKDAY_NAMES[iso - 1];

export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'completed', 'cancelled'] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const CAMPAIGN_LEAD_STATES = [
  'waiting',
  'scheduled',
  'dialing',
  'completed',
  'failed',
  'skipped',
] as const;
export const CampaignLeadState = z.enum(CAMPAIGN_LEAD_STATES);
export type CampaignLeadState = z.infer<typeof CampaignLeadState>;

/** Call results a campaign may try again; anything else ends the lead's turn. */
export const RETRY_OUTCOMES = ['no_answer', 'busy', 'voicemail', 'failed'] as const;
export const RetryOutcome = z.enum(RETRY_OUTCOMES);
export type RetryOutcome = z.infer<typeof RetryOutcome>;

const unique = <T>(a: T[]) => new Set(a).size === a.length;

/** Which leads a campaign calls: explicit ids, or a filter like the leads list's. */
export const CampaignLeadIds = z.strictObject({
  ids: z.array(Uuid).min(1).max(10_000).refine(unique, 'ids must not repeat'),
});
export const CampaignLeadFilter = z.strictObject({
  status: LeadStatus.optional(),
  /** leads carrying every one of these tags */
  tags: Tags.optional(),
  agentId: Uuid.optional(),
  q: searchTerm(100).optional(),
  externalId: searchTerm(100).optional(),
});
export const CampaignLeadSelector = z.union([CampaignLeadIds, CampaignLeadFilter]);
export type CampaignLeadSelector = z.infer<typeof CampaignLeadSelector>;

export const CallingWindow = z
  .strictObject({ start: HHMM, end: HHMM })
  .refine((w) => w.start < w.end, { message: 'window.start must be before window.end' });
export type CallingWindow = z.infer<typeof CallingWindow>;

/** 'lead': each lead's own time zone (docs: how it is found); else one IANA zone for all. */
export const CampaignTimezone = z.union([z.literal('lead'), TimeZone]);

export const CampaignSchedule = z.object({
  startAt: IsoDateTime.nullable(),
  endAt: IsoDateTime.nullable(),
  days: z.array(WeekdayName),
  window: CallingWindow,
  timezone: z.string(),
});
export type CampaignSchedule = z.infer<typeof CampaignSchedule>;

/** Fields left out take the tenant's calling settings (window, days) and 'lead'. */
const ScheduleInput = z
  .strictObject({
    startAt: StorableDateTime.nullable().optional(),
    endAt: StorableDateTime.nullable().optional(),
    days: z.array(WeekdayName).min(1).max(7).refine(unique, 'days must not repeat').optional(),
    window: CallingWindow.optional(),
    timezone: CampaignTimezone.optional(),
  })
  .refine((s) => !s.startAt || !s.endAt || Date.parse(s.startAt) < Date.parse(s.endAt), {
    message: 'startAt must be before endAt',
    path: ['endAt'],
  });

export const RetryPolicy = z.strictObject({
  /** calls per lead in all, the first one included */
  maxAttempts: z.number().int().min(1).max(20),
  outcomes: z.array(RetryOutcome).max(4).refine(unique, 'outcomes must not repeat'),
  delayMinutes: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  outcomes: ['no_answer', 'busy', 'failed'],
  delayMinutes: 60,
};

const MaxConcurrentCalls = z.number().int().min(1).max(1000);

export const CreateCampaignRequest = z.strictObject({
  name: text(100),
  /** default: the tenant's default agent */
  agentId: Uuid.optional(),
  leads: CampaignLeadSelector,
  schedule: ScheduleInput.optional(),
  /** default: only the tenant's cap applies */
  maxConcurrentCalls: MaxConcurrentCalls.nullable().optional(),
  retry: RetryPolicy.optional(),
});
export type CreateCampaignRequest = z.infer<typeof CreateCampaignRequest>;

/** Leads may change only before the start (they are frozen then); nothing changes once finished. */
export const UpdateCampaignRequest = z.strictObject({
  name: text(100).optional(),
  agentId: Uuid.optional(),
  leads: CampaignLeadSelector.optional(),
  schedule: ScheduleInput.optional(),
  maxConcurrentCalls: MaxConcurrentCalls.nullable().optional(),
  retry: RetryPolicy.optional(),
});
export type UpdateCampaignRequest = z.infer<typeof UpdateCampaignRequest>;

export const CampaignProgress = z.object({
  total: z.number().int(),
  waiting: z.number().int(),
  scheduled: z.number().int(),
  dialing: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  /** skipped leads counted by why (do_not_call, lead_do_not_call, campaign_ended, cancelled, ...) */
  skippedBy: z.record(z.string(), z.number().int()),
});
export type CampaignProgress = z.infer<typeof CampaignProgress>;

export const Campaign = z.object({
  id: Uuid,
  name: z.string(),
  agentId: Uuid,
  status: CampaignStatus,
  leads: CampaignLeadSelector,
  schedule: CampaignSchedule,
  maxConcurrentCalls: z.number().int().nullable(),
  retry: RetryPolicy,
  progress: CampaignProgress,
  startedAt: IsoDateTime.nullable(),
  finishedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignListQuery = PageQuery.extend({
  status: CampaignStatus.optional(),
  agentId: Uuid.optional(),
});
export type CampaignListQuery = z.infer<typeof CampaignListQuery>;

export const CampaignPage = pageOf(Campaign);

export const CampaignLead = z.object({
  leadId: Uuid,
  state: CampaignLeadState,
  attempts: z.number().int(),
  lastCallId: Uuid.nullable(),
  lastCallStatus: CallStatus.nullable(),
  nextAttemptAt: IsoDateTime.nullable(),
  /** why it waits, or why it ended, in words */
  reason: z.string().nullable(),
  lead: z.object({
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string(),
  }),
});
export type CampaignLead = z.infer<typeof CampaignLead>;

export const CampaignLeadsQuery = PageQuery.extend({ state: CampaignLeadState.optional() });
export type CampaignLeadsQuery = z.infer<typeof CampaignLeadsQuery>;

export const CampaignLeadPage = pageOf(CampaignLead);

// ---- eligibility and "Call now"

export const EligibilityQuery = z.strictObject({ campaignId: Uuid.optional() });
export type EligibilityQuery = z.infer<typeof EligibilityQuery>;

/** Where the zone of a lead's calling window came from, in the order they are tried. */
export const ZONE_SOURCES = ['campaign', 'lead', 'phone', 'tenant'] as const;

export const Eligibility = z.object({
  eligible: z.boolean(),
  /** every rule that holds the lead back now, in words; empty when eligible */
  reasons: z.array(z.string()),
  /**
   * the earliest time the time rules (start date, calling days and window,
   * retry delay) allow: now when they allow it now; null when a rule no wait
   * lifts holds the lead back (do-not-call, attempts used up, campaign over)
   */
  nextEligibleAt: IsoDateTime.nullable(),
  timezone: z.object({ zone: z.string(), source: z.enum(ZONE_SOURCES) }),
  /** the lead's local time now, "YYYY-MM-DD HH:MM" in that zone */
  localTime: z.string(),
});
export type Eligibility = z.infer<typeof Eligibility>;

export const CallNowRequest = z.strictObject({
  /** default: the tenant's default agent */
  agentId: Uuid.optional(),
  /** admin+: call outside the tenant's calling window and days (never a do-not-call number) */
  overrideWindow: z.boolean().optional(),
});
export type CallNowRequest = z.infer<typeof CallNowRequest>;

// ---- dialers

/**
 * Who places a tenant's calls: `simulator` (calls progress by themselves,
 * the default and the demo), `webhook` (a signed `call.dispatch` POST to
 * the tenant's telephony bridge), `vapi` or `retell` (an outbound call
 * through the provider's API, with the tenant's API key there).
 */
export const DIALERS = ['simulator', 'webhook', 'vapi', 'retell'] as const;
export const DialerType = z.enum(DIALERS);
export type DialerType = z.infer<typeof DialerType>;

export const DialerSettings = z.object({
  type: DialerType,
  /** the number calls are placed from; the simulator uses +15550000000 when unset */
  callerId: z.string().nullable(),
  /** the webhook dialer's bridge */
  url: z.string().nullable(),
  /** Vapi: the phone number (its id at Vapi) calls go out from */
  phoneNumberId: z.string().nullable(),
  /** the webhook dialer's signing secret, or the provider's API key, is stored (never shown again) */
  secretSet: z.boolean(),
});
export type DialerSettings = z.infer<typeof DialerSettings>;

const ProviderId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be the id the provider shows (letters, digits, - and _)');

export const UpdateDialerRequest = z
  .strictObject({
    type: DialerType,
    callerId: Phone.nullable().optional(),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
      .max(2000)
      .nullable()
      .optional(),
    /** a new signing secret for the webhook dialer (one is made the first time anyway) */
    rotateSecret: z.boolean().optional(),
    /** Vapi's private key or Retell's API key: written, never read back (kept when left out) */
    apiKey: z
      .string()
      .regex(/^\S{8,500}$/, 'must be the API key as the provider shows it')
      .optional(),
    phoneNumberId: ProviderId.nullable().optional(),
  })
  .refine((d) => d.type !== 'webhook' || !!d.url, {
    message: 'the webhook dialer needs the url of your bridge',
    path: ['url'],
  })
  .refine((d) => d.type !== 'vapi' || !!d.phoneNumberId, {
    message: 'the Vapi dialer needs the id of your Vapi phone number',
    path: ['phoneNumberId'],
  })
  .refine((d) => d.type !== 'retell' || !!d.callerId, {
    message: 'the Retell dialer needs the caller id (a number of yours at Retell)',
    path: ['callerId'],
  });
export type UpdateDialerRequest = z.infer<typeof UpdateDialerRequest>;

/** PUT /tenant/dialer: `signingSecret` (whsec_...) only when one was just made. */
export const UpdatedDialer = DialerSettings.extend({ signingSecret: z.string().optional() });
export type UpdatedDialer = z.infer<typeof UpdatedDialer>;
