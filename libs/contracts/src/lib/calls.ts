import { z } from 'zod';
import { IsoDateTime, Uuid, boundedJson, countedPageOf, sortedPageQuery, text } from './common';
import { Phone } from './phone';

export const CALL_STATUSES = [
  'queued',
  'ringing',
  'in_progress',
  'completed',
  'failed',
  'no_answer',
  'busy',
  'voicemail',
  'canceled',
] as const;
export const CallStatus = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof CallStatus>;

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CallDirection = z.enum(CALL_DIRECTIONS);
export type CallDirection = z.infer<typeof CallDirection>;

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export const Sentiment = z.enum(SENTIMENTS);

/** The call lifecycle; anything not listed is an illegal transition (409). */
export const CALL_TRANSITIONS: Record<CallStatus, readonly CallStatus[]> = {
  queued: ['ringing', 'in_progress', 'failed', 'canceled'],
  ringing: ['in_progress', 'no_answer', 'busy', 'voicemail', 'failed', 'canceled'],
  in_progress: ['completed', 'failed', 'voicemail'],
  completed: [],
  failed: [],
  no_answer: [],
  busy: [],
  voicemail: [],
  canceled: [],
};

export const TERMINAL_CALL_STATUSES = CALL_STATUSES.filter((s) => CALL_TRANSITIONS[s].length === 0);

/** Statuses in which a person (or their voicemail) was reached. */
export const CONNECTED_CALL_STATUSES: readonly CallStatus[] = ['in_progress', 'completed'];

export function canTransition(from: CallStatus, to: CallStatus): boolean {
  return from === to || CALL_TRANSITIONS[from].includes(to);
}

export const TranscriptTurn = z.strictObject({
  role: z.enum(['agent', 'lead', 'system']),
  text: z.string().max(10_000),
  startMs: z.number().int().min(0),
});
export type TranscriptTurn = z.infer<typeof TranscriptTurn>;

const Transcript = z.array(TranscriptTurn).max(2_000);
/** The column is numeric(12, 4): more decimals would be rounded away silently. */
const Money = z
  .number()
  .min(0)
  .max(1_000_000)
  // exact in binary floating point: 0.42 is the double nearest to "0.4200", 0.12345 is not
  .refine((v) => Number(v.toFixed(4)) === v, 'at most 4 decimal places');
const When = z.iso.datetime({ offset: true });
const DAY_MS = 86_400_000;
/** A range bound: a datetime, or a date standing for that whole UTC day (from its start, to its end). */
const rangeBound = (edge: 'start' | 'end') =>
  z.union([
    When,
    z.iso
      .date()
      .transform((d) =>
        new Date(Date.parse(`${d}T00:00:00Z`) + (edge === 'end' ? DAY_MS : 0)).toISOString(),
      ),
  ]);

export const CALL_ANALYSIS_MAX_BYTES = 32_768;

const outcomeFields = {
  startedAt: When.nullable().optional(),
  answeredAt: When.nullable().optional(),
  endedAt: When.nullable().optional(),
  endReason: text(100).nullable().optional(),
  outcome: text(100).nullable().optional(),
  sentiment: Sentiment.nullable().optional(),
  summary: z.string().max(10_000).nullable().optional(),
  transcript: Transcript.optional(),
  recordingUrl: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .nullable()
    .optional(),
  cost: Money.nullable().optional(),
  /** the provider's structured analysis of the call (extracted fields, success evaluation) */
  analysis: boundedJson(CALL_ANALYSIS_MAX_BYTES).nullable().optional(),
};

export const CreateCallRequest = z.strictObject({
  agentId: Uuid,
  /** the agent's version that ran the call; default: the version current at its start */
  agentVersion: z.number().int().min(1).max(2_147_483_647).optional(),
  leadId: Uuid.nullable().optional(),
  direction: CallDirection,
  status: CallStatus.default('queued'),
  fromNumber: Phone,
  toNumber: Phone,
  provider: text(50).optional(),
  providerCallId: text(200).optional(),
  ...outcomeFields,
});
export type CreateCallRequest = z.infer<typeof CreateCallRequest>;

export const UpdateCallRequest = z.strictObject({
  status: CallStatus.optional(),
  ...outcomeFields,
});
export type UpdateCallRequest = z.infer<typeof UpdateCallRequest>;

export const Call = z.object({
  id: Uuid,
  agentId: Uuid,
  agentVersion: z.number().int().nullable(),
  leadId: Uuid.nullable(),
  direction: CallDirection,
  status: CallStatus,
  fromNumber: z.string(),
  toNumber: z.string(),
  startedAt: IsoDateTime.nullable(),
  answeredAt: IsoDateTime.nullable(),
  endedAt: IsoDateTime.nullable(),
  durationSeconds: z.number().int().nullable(),
  endReason: z.string().nullable(),
  outcome: z.string().nullable(),
  sentiment: Sentiment.nullable(),
  summary: z.string().nullable(),
  transcript: z.array(TranscriptTurn),
  recordingUrl: z.string().nullable(),
  cost: z.number().nullable(),
  analysis: z.record(z.string(), z.unknown()).nullable(),
  provider: z.string().nullable(),
  providerCallId: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Call = z.infer<typeof Call>;

/** Lists leave the transcript and the analysis out; GET /calls/:id has them. */
export const CallSummary = Call.omit({ transcript: true, analysis: true });
export type CallSummary = z.infer<typeof CallSummary>;

/** The orders of the calls list; a call not ended yet has no duration and sorts as the shortest. */
export const CALL_SORT_KEYS = ['createdAt', 'duration', 'status'] as const;
export type CallSortKey = (typeof CALL_SORT_KEYS)[number];

export const CallListQuery = sortedPageQuery(CALL_SORT_KEYS).extend({
  status: CallStatus.optional(),
  direction: CallDirection.optional(),
  agentId: Uuid.optional(),
  leadId: Uuid.optional(),
  from: rangeBound('start').optional(),
  to: rangeBound('end').optional(),
});
export type CallListQuery = z.infer<typeof CallListQuery>;
export type CallSort = CallListQuery['sort'];

export const CallPage = countedPageOf(CallSummary);

export const CALL_STATS_GROUPS = ['agentVersion'] as const;

export const CallStatsQuery = z.strictObject({
  from: rangeBound('start').optional(),
  to: rangeBound('end').optional(),
  /** only this agent's calls */
  agentId: Uuid.optional(),
  /** agentVersion: adds byAgentVersion and versionChanges */
  groupBy: z.enum(CALL_STATS_GROUPS).optional(),
});
export type CallStatsQuery = z.infer<typeof CallStatsQuery>;

const Totals = z.object({
  calls: z.number().int(),
  connected: z.number().int(),
  connectRate: z.number(),
  avgDurationSeconds: z.number(),
  totalCost: z.number(),
});

export const CallStats = z.object({
  from: IsoDateTime,
  to: IsoDateTime,
  timezone: z.string(),
  totals: Totals,
  byStatus: z.array(z.object({ status: CallStatus, count: z.number().int() })),
  byOutcome: z.array(z.object({ outcome: z.string(), count: z.number().int() })),
  byAgent: z.array(Totals.extend({ agentId: Uuid, agentName: z.string() })),
  byDay: z.array(
    z.object({ day: z.string(), calls: z.number().int(), connected: z.number().int() }),
  ),
  /** groupBy=agentVersion: each agent's versions that had calls in the range, newest first */
  byAgentVersion: z
    .array(
      Totals.extend({
        agentId: Uuid,
        agentName: z.string(),
        version: z.number().int(),
        versionCreatedAt: IsoDateTime,
        outcomes: z.array(z.object({ outcome: z.string(), count: z.number().int() })),
      }),
    )
    .optional(),
  /** groupBy=agentVersion: the versions saved in the range (after each agent's first), oldest first */
  versionChanges: z
    .array(
      z.object({
        agentId: Uuid,
        agentName: z.string(),
        version: z.number().int(),
        at: IsoDateTime,
      }),
    )
    .optional(),
});
export type CallStats = z.infer<typeof CallStats>;
