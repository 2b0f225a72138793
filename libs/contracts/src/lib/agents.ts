import { z } from 'zod';
import {
  IsoDateTime,
  PageQuery,
  Uuid,
  countedPageOf,
  pageOf,
  searchTerm,
  sortedPageQuery,
  text,
} from './common';
import { Phone } from './phone';

export const AGENT_STATUSES = ['active', 'paused', 'archived'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatus>;

export const AGENT_DIRECTIONS = ['inbound', 'outbound', 'both'] as const;
export const AgentDirection = z.enum(AGENT_DIRECTIONS);

export const LLM_PROVIDERS = [
  'openai',
  'anthropic',
  'google',
  'azure_openai',
  'groq',
  'other',
] as const;
export const LlmProvider = z.enum(LLM_PROVIDERS);

export const VOICEMAIL_BEHAVIORS = ['hang_up', 'leave_message'] as const;
export const VoicemailBehavior = z.enum(VOICEMAIL_BEHAVIORS);

/** BCP-47 tag such as en-US or pt-BR (syntax check; the voice vendor checks support). */
export const LanguageTag = z
  .string()
  .regex(
    /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?$/,
    'must be a BCP-47 tag such as en-US',
  );

export const TransferDestination = z.strictObject({
  label: text(60),
  phone: Phone,
});

const DispositionCode = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,40}$/, 'disposition codes are lower_snake_case, at most 40 characters');

/** An id in a voice provider's system (Vapi assistant id, Retell agent id); unique in a tenant. */
const ProviderAgentId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .nullable();

const agentFields = {
  name: text(100),
  status: AgentStatus,
  direction: AgentDirection,
  language: LanguageTag,
  voice: text(100),
  llmProvider: LlmProvider,
  llmModel: text(100),
  temperature: z.number().min(0).max(2),
  systemPrompt: z.string().max(20_000),
  firstMessage: z.string().max(2_000),
  maxCallSeconds: z.number().int().min(10).max(14_400),
  silenceTimeoutSeconds: z.number().int().min(1).max(120),
  voicemailBehavior: VoicemailBehavior,
  voicemailMessage: z.string().trim().max(2_000).nullable(),
  transferDestinations: z.array(TransferDestination).max(20),
  dispositionCodes: z
    .array(DispositionCode)
    .max(50)
    .refine((c) => new Set(c).size === c.length, 'disposition codes must not repeat'),
  /** the provider's id of this agent: call events naming it are recorded as this agent's */
  vapiAssistantId: ProviderAgentId,
  retellAgentId: ProviderAgentId,
};

export const AGENT_DEFAULTS = {
  status: 'active',
  direction: 'outbound',
  language: 'en-US',
  voice: 'alloy',
  llmProvider: 'openai',
  llmModel: 'gpt-4o-mini',
  temperature: 0.7,
  systemPrompt: '',
  firstMessage: '',
  maxCallSeconds: 600,
  silenceTimeoutSeconds: 10,
  voicemailBehavior: 'hang_up',
  voicemailMessage: null,
  transferDestinations: [],
  dispositionCodes: [],
} as const;

const voicemailNeedsText = (a: { voicemailBehavior?: string; voicemailMessage?: string | null }) =>
  a.voicemailBehavior !== 'leave_message' || !!a.voicemailMessage;
const voicemailIssue = {
  message: 'voicemailMessage is required when voicemailBehavior is leave_message',
  path: ['voicemailMessage'],
};

export const CreateAgentRequest = z
  .strictObject({
    name: agentFields.name,
    status: agentFields.status.default(AGENT_DEFAULTS.status),
    direction: agentFields.direction.default(AGENT_DEFAULTS.direction),
    language: agentFields.language.default(AGENT_DEFAULTS.language),
    voice: agentFields.voice.default(AGENT_DEFAULTS.voice),
    llmProvider: agentFields.llmProvider.default(AGENT_DEFAULTS.llmProvider),
    llmModel: agentFields.llmModel.default(AGENT_DEFAULTS.llmModel),
    temperature: agentFields.temperature.default(AGENT_DEFAULTS.temperature),
    systemPrompt: agentFields.systemPrompt.default(AGENT_DEFAULTS.systemPrompt),
    firstMessage: agentFields.firstMessage.default(AGENT_DEFAULTS.firstMessage),
    maxCallSeconds: agentFields.maxCallSeconds.default(AGENT_DEFAULTS.maxCallSeconds),
    silenceTimeoutSeconds: agentFields.silenceTimeoutSeconds.default(
      AGENT_DEFAULTS.silenceTimeoutSeconds,
    ),
    voicemailBehavior: agentFields.voicemailBehavior.default(AGENT_DEFAULTS.voicemailBehavior),
    voicemailMessage: agentFields.voicemailMessage.default(null),
    transferDestinations: agentFields.transferDestinations.default([]),
    dispositionCodes: agentFields.dispositionCodes.default([]),
    vapiAssistantId: agentFields.vapiAssistantId.default(null),
    retellAgentId: agentFields.retellAgentId.default(null),
  })
  .refine(voicemailNeedsText, voicemailIssue);
export type CreateAgentRequest = z.infer<typeof CreateAgentRequest>;
export type CreateAgentInput = z.input<typeof CreateAgentRequest>;

/** PATCH: any subset; the voicemail rule is checked again against the stored agent. */
export const UpdateAgentRequest = z
  .strictObject({
    name: agentFields.name,
    status: agentFields.status,
    direction: agentFields.direction,
    language: agentFields.language,
    voice: agentFields.voice,
    llmProvider: agentFields.llmProvider,
    llmModel: agentFields.llmModel,
    temperature: agentFields.temperature,
    systemPrompt: agentFields.systemPrompt,
    firstMessage: agentFields.firstMessage,
    maxCallSeconds: agentFields.maxCallSeconds,
    silenceTimeoutSeconds: agentFields.silenceTimeoutSeconds,
    voicemailBehavior: agentFields.voicemailBehavior,
    voicemailMessage: agentFields.voicemailMessage,
    transferDestinations: agentFields.transferDestinations,
    dispositionCodes: agentFields.dispositionCodes,
    vapiAssistantId: agentFields.vapiAssistantId,
    retellAgentId: agentFields.retellAgentId,
  })
  .partial();
export type UpdateAgentRequest = z.infer<typeof UpdateAgentRequest>;

export const Agent = z.object({
  id: Uuid,
  name: z.string(),
  status: AgentStatus,
  direction: AgentDirection,
  language: z.string(),
  voice: z.string(),
  llmProvider: LlmProvider,
  llmModel: z.string(),
  temperature: z.number(),
  systemPrompt: z.string(),
  firstMessage: z.string(),
  maxCallSeconds: z.number().int(),
  silenceTimeoutSeconds: z.number().int(),
  voicemailBehavior: VoicemailBehavior,
  voicemailMessage: z.string().nullable(),
  transferDestinations: z.array(z.object({ label: z.string(), phone: z.string() })),
  dispositionCodes: z.array(z.string()),
  vapiAssistantId: z.string().nullable(),
  retellAgentId: z.string().nullable(),
  /** the current version's number (GET /agents/:id/versions) */
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Agent = z.infer<typeof Agent>;

export const AGENT_SORT_KEYS = ['createdAt', 'name', 'status', 'updatedAt'] as const;
export type AgentSortKey = (typeof AGENT_SORT_KEYS)[number];

export const AgentListQuery = sortedPageQuery(AGENT_SORT_KEYS).extend({
  status: AgentStatus.optional(),
  /** exclude: every agent but the archived ones (the console's list by default); include: all */
  archived: z.enum(['include', 'exclude']).optional(),
  q: searchTerm(100).optional(),
});
export type AgentListQuery = z.infer<typeof AgentListQuery>;
export type AgentSort = AgentListQuery['sort'];

export const AgentPage = countedPageOf(Agent);

/**
 * What a version holds: the fields that change how a call goes (migration
 * 014, app_agent_config). Name, status, direction and provider ids are not
 * versioned.
 */
export const AGENT_VERSIONED_FIELDS = [
  'language',
  'voice',
  'llmProvider',
  'llmModel',
  'temperature',
  'systemPrompt',
  'firstMessage',
  'maxCallSeconds',
  'silenceTimeoutSeconds',
  'voicemailBehavior',
  'voicemailMessage',
  'transferDestinations',
  'dispositionCodes',
] as const;
export type AgentVersionedField = (typeof AGENT_VERSIONED_FIELDS)[number];

export const AgentVersionConfig = Agent.pick({
  language: true,
  voice: true,
  llmProvider: true,
  llmModel: true,
  temperature: true,
  systemPrompt: true,
  firstMessage: true,
  maxCallSeconds: true,
  silenceTimeoutSeconds: true,
  voicemailBehavior: true,
  voicemailMessage: true,
  transferDestinations: true,
  dispositionCodes: true,
});
export type AgentVersionConfig = z.infer<typeof AgentVersionConfig>;

/** Who saved a version: a person, an API key, or the system (a provider's event, the seed, the migration). */
export const AgentVersionAuthor = z.object({
  type: z.enum(['user', 'api_key', 'system']),
  id: Uuid.nullable(),
  name: z.string().nullable(),
});
export type AgentVersionAuthor = z.infer<typeof AgentVersionAuthor>;

/** field -> [value in the previous version, value in this one]; version 1 has none. */
export const AgentVersionChanges = z.record(z.string(), z.tuple([z.unknown(), z.unknown()]));
export type AgentVersionChanges = z.infer<typeof AgentVersionChanges>;

export const AgentVersion = z.object({
  version: z.number().int(),
  createdAt: IsoDateTime,
  createdBy: AgentVersionAuthor,
  /** the version this one restored (POST .../versions/:n/restore), else null */
  restoredFrom: z.number().int().nullable(),
  current: z.boolean(),
  changes: AgentVersionChanges,
});
export type AgentVersion = z.infer<typeof AgentVersion>;

/** GET .../versions/:n: the version with its whole configuration. */
export const AgentVersionDetail = AgentVersion.extend({ config: AgentVersionConfig });
export type AgentVersionDetail = z.infer<typeof AgentVersionDetail>;

/** Newest first; `cursor` is the opaque nextCursor. */
export const AgentVersionListQuery = PageQuery;
export type AgentVersionListQuery = z.infer<typeof AgentVersionListQuery>;
export const AgentVersionPage = pageOf(AgentVersion);

export const AgentVersionParams = z.strictObject({
  id: Uuid,
  version: z.coerce.number().int().min(1).max(2_147_483_647),
});
export type AgentVersionParams = z.infer<typeof AgentVersionParams>;
