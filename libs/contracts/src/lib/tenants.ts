import { z } from 'zod';
import { IsoDateTime, Role, TimeZone, Uuid, boundedJson, pageOf, text } from './common';

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export const TenantStatus = z.enum(TENANT_STATUSES);

export const Tenant = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  domain: z.string().nullable(),
  status: TenantStatus,
  plan: z.string(),
  createdAt: IsoDateTime,
});
export type Tenant = z.infer<typeof Tenant>;

export const TenantMembership = z.object({ tenant: Tenant, role: Role });
export type TenantMembership = z.infer<typeof TenantMembership>;

/** GET /tenants: the caller's active memberships, newest first (by when they joined). */
export const TenantList = pageOf(TenantMembership);
export type TenantList = z.infer<typeof TenantList>;

/** A host name such as calls.example.com: lower case, no scheme, no port. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a host name such as calls.example.com',
  );

export const ResolveDomainQuery = z.strictObject({ domain: Domain });
export const ResolvedTenant = Tenant.pick({ id: true, name: true, slug: true });
export type ResolvedTenant = z.infer<typeof ResolvedTenant>;

export const UpdateTenantRequest = z.strictObject({
  name: text(100).optional(),
  domain: Domain.nullable().optional(),
});
export type UpdateTenantRequest = z.infer<typeof UpdateTenantRequest>;

/** POST /tenants: another workspace for someone signed in, owned by them (signup's, without the account). */
export const CreateTenantRequest = z.strictObject({ name: text(100) });
export type CreateTenantRequest = z.infer<typeof CreateTenantRequest>;

export const SwitchTenantRequest = z.strictObject({ tenantId: Uuid });
export type SwitchTenantRequest = z.infer<typeof SwitchTenantRequest>;

export const SwitchTenantResponse = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  tenant: Tenant,
  role: Role,
});
export type SwitchTenantResponse = z.infer<typeof SwitchTenantResponse>;

export const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const; // ISO: 1 = Monday

export const TenantConfigFields = z.strictObject({
  timezone: TimeZone,
  callingWindowStart: HHMM,
  callingWindowEnd: HHMM,
  callingDays: z
    .array(z.number().int().min(1).max(7))
    .max(7)
    .refine((d) => new Set(d).size === d.length, 'days must not repeat'),
  defaultAgentId: Uuid.nullable(),
  maxConcurrentCalls: z.number().int().min(1).max(1000),
  recordingEnabled: z.boolean(),
  settings: boundedJson(16_384).default({}),
});

/** How long audit events are kept, in days (issue 16). */
export const AuditRetentionDays = z.number().int().min(1).max(3650);

/** PUT body: every field but `settings` and `auditRetentionDays` (left as it is when absent) is required. */
export const UpdateTenantConfigRequest = TenantConfigFields.extend({
  auditRetentionDays: AuditRetentionDays.optional(),
}).refine((c) => c.callingWindowStart < c.callingWindowEnd, {
  message: 'callingWindowStart must be before callingWindowEnd',
  path: ['callingWindowEnd'],
});
export type UpdateTenantConfigRequest = z.infer<typeof UpdateTenantConfigRequest>;

export const TenantConfig = TenantConfigFields.extend({
  /** audit events older than this many days are deleted (default 365) */
  auditRetentionDays: AuditRetentionDays,
  updatedAt: IsoDateTime,
});
export type TenantConfig = z.infer<typeof TenantConfig>;

export const UsageDay = z.object({ day: z.string(), apiCalls: z.number().int() });
export const TenantUsage = z.object({ data: z.array(UsageDay) });
export type TenantUsage = z.infer<typeof TenantUsage>;

export const UsageQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
});
