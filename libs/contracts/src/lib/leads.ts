import { z } from 'zod';
import {
  Email,
  IsoDateTime,
  StorableDateTime,
  TimeZone,
  Uuid,
  boundedJson,
  countedPageOf,
  optionalText,
  searchTerm,
  sortedPageQuery,
} from './common';
import { Phone } from './phone';

export const LEAD_STATUSES = [
  'new',
  'contacted',
  'qualified',
  'converted',
  'lost',
  'do_not_call',
] as const;
export const LeadStatus = z.enum(LEAD_STATUSES);
export type LeadStatus = z.infer<typeof LeadStatus>;

export const CUSTOM_FIELDS_MAX_BYTES = 8_192;

const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _:.-]{0,39}$/u, 'tags are 1-40 letters, digits, space, _ : . -');

export const Tags = z
  .array(Tag)
  .max(20)
  .transform((t) => [...new Set(t)]);

const leadFields = {
  firstName: optionalText(100),
  lastName: optionalText(100),
  phone: Phone,
  email: Email.nullable().optional(),
  company: optionalText(200),
  status: LeadStatus,
  source: optionalText(100),
  assignedAgentId: Uuid.nullable().optional(),
  tags: Tags,
  timezone: TimeZone.nullable().optional(),
  nextCallAt: StorableDateTime.nullable().optional(),
  customFields: boundedJson(CUSTOM_FIELDS_MAX_BYTES),
  /** the lead's id in the tenant's CRM, unique in the tenant */
  externalId: optionalText(100),
};

export const CreateLeadRequest = z.strictObject({
  ...leadFields,
  status: leadFields.status.default('new'),
  tags: leadFields.tags.default([]),
  customFields: leadFields.customFields.default({}),
});
export type CreateLeadRequest = z.infer<typeof CreateLeadRequest>;
export type CreateLeadInput = z.input<typeof CreateLeadRequest>;

export const UpdateLeadRequest = z.strictObject(leadFields).partial();
export type UpdateLeadRequest = z.infer<typeof UpdateLeadRequest>;

export const Lead = z.object({
  id: Uuid,
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string(),
  email: z.string().nullable(),
  company: z.string().nullable(),
  status: LeadStatus,
  source: z.string().nullable(),
  assignedAgentId: Uuid.nullable(),
  tags: z.array(z.string()),
  timezone: z.string().nullable(),
  nextCallAt: IsoDateTime.nullable(),
  lastContactedAt: IsoDateTime.nullable(),
  customFields: z.record(z.string(), z.unknown()),
  externalId: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Lead = z.infer<typeof Lead>;

export const LeadFilter = z.strictObject({
  status: LeadStatus.optional(),
  agentId: Uuid.optional(),
  tag: searchTerm(40).toLowerCase().optional(),
  q: searchTerm(100).optional(),
  externalId: searchTerm(100).optional(),
});
export type LeadFilter = z.infer<typeof LeadFilter>;

/** The orders of the leads list; `name` is the name shown (the phone when there is none). */
export const LEAD_SORT_KEYS = ['createdAt', 'name', 'status'] as const;
export type LeadSortKey = (typeof LEAD_SORT_KEYS)[number];

export const LeadListQuery = sortedPageQuery(LEAD_SORT_KEYS).extend(LeadFilter.shape);
export type LeadListQuery = z.infer<typeof LeadListQuery>;
export type LeadSort = LeadListQuery['sort'];

export const LeadPage = countedPageOf(Lead);

/**
 * A lead as one CSV row states it: the JSON API's fields under the same
 * rules, empty cells left out (an import keeps what the lead already has).
 * The agent is not imported: its id is this server's, not the file's.
 */
export const LeadImportRow = z
  .strictObject(leadFields)
  .omit({ assignedAgentId: true })
  .partial()
  .required({ phone: true });
export type LeadImportRow = z.infer<typeof LeadImportRow>;

const snakeCase = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * CSV columns the import understands (header names, case-insensitive) and
 * the export writes: every field of an import row, snake_case. Other columns
 * of a file become custom fields.
 */
export const LEAD_CSV_COLUMNS = Object.keys(LeadImportRow.shape)
  .filter((k) => k !== 'customFields')
  .map(snakeCase);

export const ImportRejection = z.object({ line: z.number().int(), reason: z.string() });
export const ImportResult = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(ImportRejection),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** Upper bound of an import body. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
