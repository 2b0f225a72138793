import { z } from 'zod';
import { IsoDateTime, PageQuery, Uuid, pageOf, searchTerm } from './common';

/** Who did it: a person, a workspace API key, a provider integration, or the system (jobs, the campaign engine). */
export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'integration', 'system'] as const;
export const AuditActorType = z.enum(AUDIT_ACTOR_TYPES);
export type AuditActorType = z.infer<typeof AuditActorType>;

/** A secret's or password's change is recorded as this, never its values. */
export const AUDIT_SECRET_CHANGED = 'changed';

/** One field: [old, new] (null where there was or is none), or "changed" for a secret. */
export const AuditChange = z.union([
  z.tuple([z.unknown(), z.unknown()]),
  z.literal(AUDIT_SECRET_CHANGED),
]);
export type AuditChange = z.infer<typeof AuditChange>;

export const AuditEvent = z.object({
  id: Uuid,
  at: IsoDateTime,
  actor: z.object({
    type: AuditActorType,
    /** the user's, key's or integration's id; null for the system */
    id: z.string().nullable(),
    /** the name when it happened */
    name: z.string().nullable(),
  }),
  /** `<resource>.<verb>`, e.g. `lead.updated`, `member.role_changed`, `leads.exported` */
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  /** {field: [old, new]}; bulk actions give counts here */
  changes: z.record(z.string(), AuditChange),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditEventPage = pageOf(AuditEvent);
export type AuditEventPage = z.infer<typeof AuditEventPage>;

export const AuditEventFilter = z.strictObject({
  /** an actor's id (exact), or part of its name */
  actor: searchTerm(100).optional(),
  action: searchTerm(100).optional(),
  resourceType: searchTerm(100).optional(),
  resourceId: searchTerm(100).optional(),
  /** from this time (inclusive) */
  from: IsoDateTime.optional(),
  /** before this time (exclusive) */
  to: IsoDateTime.optional(),
});
export type AuditEventFilter = z.infer<typeof AuditEventFilter>;

export const AuditEventListQuery = PageQuery.extend(AuditEventFilter.shape);
export type AuditEventListQuery = z.infer<typeof AuditEventListQuery>;

/** The columns of GET /audit-events/export, in order. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_type',
  'actor_id',
  'actor_name',
  'action',
  'resource_type',
  'resource_id',
  'changes',
  'ip',
  'user_agent',
  'request_id',
] as const;
