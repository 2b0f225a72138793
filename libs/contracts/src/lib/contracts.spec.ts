import {
  REQUEST_EXAMPLES,
  AcceptInviteRequest,
  CreateApiKeyRequest,
  CreatedApiKey,
  CALL_TRANSITIONS,
  CALL_STATUSES,
  CreateAgentRequest,
  CreateCallRequest,
  CreateLeadRequest,
  CreateWebhookRequest,
  InvitationTokenRequest,
  LeadListQuery,
  Member,
  UpdateCallRequest,
  UpdateTenantConfigRequest,
  UpdateWebhookRequest,
  canTransition,
  normalizePhone,
  Phone,
  roleAtLeast,
} from '../index';

describe('phone numbers', () => {
  it.each([
    ['(415) 555-0101', '+14155550101'],
    ['+44 20 7946 0958', '+442079460958'],
    ['  +1-415-555-0101 ', '+14155550101'],
  ])('normalises %s to E.164', (raw, e164) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, e164 });
  });

  it.each(['12', 'not a phone', '', '+999 123', '1'.repeat(40)])(
    'explains why %j is not a number',
    (raw) => {
      const r = normalizePhone(raw);
      expect(r.ok).toBe(false);
      expect(r.ok === false && r.reason).toMatch(/phone/);
    },
  );

  it.each([
    ['', 'phone is required'],
    ['   ', 'phone is required'],
    ['1'.repeat(33), 'phone is too long'],
    [' not a phone ', 'phone "not a phone" is not a phone number (not_a_number)'],
  ])('says why %j is refused', (raw, reason) => {
    expect(normalizePhone(raw)).toEqual({ ok: false, reason });
  });

  // the bound keeps long inputs away from the parser; separators count
  it('accepts up to 32 characters', () => {
    expect(normalizePhone(`+1${' '.repeat(20)}4155550101`)).toEqual({
      ok: true,
      e164: '+14155550101',
    });
  });

  it('makes the schema fail with the reason, never pass an unparsed value', () => {
    expect(Phone.safeParse('(415) 555-0101')).toEqual({ success: true, data: '+14155550101' });
    const r = Phone.safeParse('not a phone');
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        code: 'custom',
        message: 'phone "not a phone" is not a phone number (not_a_number)',
      }),
    ]);
  });
});

describe('roles', () => {
  it('orders viewer < member < admin < owner', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('member', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
  });
});

describe('call lifecycle', () => {
  it('never leaves a terminal status', () => {
    for (const s of [
      'completed',
      'failed',
      'no_answer',
      'busy',
      'voicemail',
      'canceled',
    ] as const) {
      for (const to of CALL_STATUSES) expect(canTransition(s, to)).toBe(s === to);
    }
  });

  it('goes queued -> ringing -> in_progress -> completed, not backwards', () => {
    expect(canTransition('queued', 'ringing')).toBe(true);
    expect(canTransition('ringing', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'completed')).toBe(true);
    expect(canTransition('in_progress', 'ringing')).toBe(false);
    expect(canTransition('queued', 'completed')).toBe(false);
    expect(Object.keys(CALL_TRANSITIONS).sort()).toEqual([...CALL_STATUSES].sort());
  });
});

describe('API keys', () => {
  it('take a name and a role up to admin, an optional future expiry, nothing else', () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(CreateApiKeyRequest.safeParse({ name: 'CRM', role: 'admin' }).success).toBe(true);
    expect(
      CreateApiKeyRequest.safeParse({ name: 'CRM', role: 'viewer', expiresAt: later }).success,
    ).toBe(true);
    expect(
      CreateApiKeyRequest.safeParse({ name: 'CRM', role: 'viewer', expiresAt: null }).success,
    ).toBe(true);
    for (const bad of [
      { name: 'CRM', role: 'owner' },
      { name: ' ', role: 'viewer' },
      { name: 'CRM', role: 'viewer', expiresAt: new Date(Date.now() - 1000).toISOString() },
      { name: 'CRM', role: 'viewer', tenantId: '00000000-0000-4000-8000-000000000000' },
    ])
      expect(CreateApiKeyRequest.safeParse(bad).success).toBe(false);
  });

  it('answer a key only as acc_ and 43 base62 characters', () => {
    const created = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'CRM',
      prefix: 'acc_abcdef',
      role: 'member',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
      createdBy: null,
    };
    expect(CreatedApiKey.safeParse({ ...created, key: `acc_${'a'.repeat(43)}` }).success).toBe(
      true,
    );
    expect(CreatedApiKey.safeParse({ ...created, key: `acc_${'a'.repeat(42)}` }).success).toBe(
      false,
    );
  });
});

describe('request schemas', () => {
  it('reject unknown fields (a tenantId in a body is never silently accepted)', () => {
    const r = CreateAgentRequest.safeParse({
      name: 'A',
      tenantId: '00000000-0000-0000-0000-000000000000',
    });
    expect(r.success).toBe(false);
  });

  it('take an invitation link as a bounded token in the body, with nothing else', () => {
    const token = 'k'.repeat(43);
    expect(AcceptInviteRequest.safeParse({ token, password: 'long enough' }).success).toBe(true);
    expect(AcceptInviteRequest.safeParse({ token, password: 'short' }).success).toBe(false);
    expect(InvitationTokenRequest.safeParse({ token: 'short' }).success).toBe(false);
    expect(InvitationTokenRequest.safeParse({ token: 'k'.repeat(201) }).success).toBe(false);
    expect(
      InvitationTokenRequest.safeParse({ token, tenantId: '00000000-0000-4000-8000-000000000000' })
        .success,
    ).toBe(false);
  });

  it('give every member an invitation expiry, null once accepted', () => {
    const member = {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'a@x.co',
      fullName: 'A',
      role: 'member',
      status: 'active',
      joinedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(Member.safeParse(member).success).toBe(false);
    expect(Member.safeParse({ ...member, invitationExpiresAt: null }).success).toBe(true);
  });

  it('fill the documented agent defaults', () => {
    const r = CreateAgentRequest.parse({ name: 'A' });
    expect(r).toMatchObject({
      status: 'active',
      maxCallSeconds: 600,
      voicemailBehavior: 'hang_up',
      transferDestinations: [],
    });
  });

  it('require the voicemail text when leaving a message', () => {
    expect(
      CreateAgentRequest.safeParse({ name: 'A', voicemailBehavior: 'leave_message' }).success,
    ).toBe(false);
    expect(
      CreateAgentRequest.safeParse({
        name: 'A',
        voicemailBehavior: 'leave_message',
        voicemailMessage: 'Call us back',
      }).success,
    ).toBe(true);
  });

  it('normalise lead phone, email and tags', () => {
    const r = CreateLeadRequest.parse({
      phone: '415 555 0101',
      email: ' Ada@Example.COM ',
      tags: ['VIP', 'vip', 'Renewal'],
    });
    expect(r).toMatchObject({
      phone: '+14155550101',
      email: 'ada@example.com',
      tags: ['vip', 'renewal'],
      status: 'new',
    });
  });

  it('bound custom fields by their JSON size', () => {
    expect(
      CreateLeadRequest.safeParse({ phone: '+14155550101', customFields: { a: 'x'.repeat(9000) } })
        .success,
    ).toBe(false);
  });

  it('bound custom fields by their nesting, without overflowing on a very deep value', () => {
    const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
    const lead = (depth: number) =>
      CreateLeadRequest.safeParse({ phone: '+14155550101', customFields: { a: nested(depth) } });
    expect(lead(19).success).toBe(true);
    expect(lead(20).success).toBe(false);
    const deep = lead(100_000);
    expect(deep.success).toBe(false);
    expect(deep.error?.issues.map((i) => i.message)).toEqual(['must nest at most 20 levels deep']);
  });

  it('coerce and bound list paging', () => {
    expect(LeadListQuery.parse({ limit: '20' }).limit).toBe(20);
    expect(LeadListQuery.parse({}).limit).toBe(50);
    expect(LeadListQuery.safeParse({ limit: '201' }).success).toBe(false);
    expect(LeadListQuery.safeParse({ limit: '0' }).success).toBe(false);
  });

  it('check the tenant configuration: time zone, window order; webhookUrl is gone (webhook endpoints replace it)', () => {
    const ok = {
      timezone: 'Europe/Paris',
      callingWindowStart: '09:00',
      callingWindowEnd: '18:00',
      callingDays: [1, 2, 3, 4, 5],
      defaultAgentId: null,
      maxConcurrentCalls: 5,
      recordingEnabled: true,
    };
    expect(UpdateTenantConfigRequest.safeParse(ok).success).toBe(true);
    expect(UpdateTenantConfigRequest.safeParse({ ...ok, timezone: 'Mars/Base' }).success).toBe(
      false,
    );
    expect(UpdateTenantConfigRequest.safeParse({ ...ok, callingWindowEnd: '08:00' }).success).toBe(
      false,
    );
    expect(
      UpdateTenantConfigRequest.safeParse({ ...ok, webhookUrl: 'https://example.com/hook' })
        .success,
    ).toBe(false);
    expect(UpdateTenantConfigRequest.safeParse({ ...ok, callingDays: [1, 1] }).success).toBe(false);
  });
});

describe('call cost', () => {
  const call = {
    agentId: '00000000-0000-4000-8000-000000000001',
    direction: 'outbound',
    fromNumber: '+14155550000',
    toNumber: '+14155550123',
  };

  it.each([0, 0.42, 0.1235, 0.0001, 12.3456, 1_000_000, null])('accepts %p', (cost) => {
    expect(CreateCallRequest.safeParse({ ...call, cost }).success).toBe(true);
    expect(UpdateCallRequest.safeParse({ cost }).success).toBe(true);
  });

  it.each([0.00004, 0.12345, 1.00001, 999_999.99999])(
    'refuses %p: more than 4 decimal places would be rounded by the column',
    (cost) => {
      for (const r of [
        CreateCallRequest.safeParse({ ...call, cost }),
        UpdateCallRequest.safeParse({ cost }),
      ]) {
        expect(r.success).toBe(false);
        expect(r.error?.issues).toEqual([
          expect.objectContaining({ path: ['cost'], message: 'at most 4 decimal places' }),
        ]);
      }
    },
  );
});

describe('webhook endpoints', () => {
  const ok = { url: 'https://hooks.example.com/acc', events: ['lead.created'] };

  it('take an absolute http(s) URL without credentials and at least one known event type', () => {
    expect(CreateWebhookRequest.parse(ok)).toEqual({ ...ok, enabled: true });
    for (const url of [
      'javascript:alert(1)',
      'ftp://example.com/x',
      '/relative',
      'https://user:pw@example.com/x',
      `https://example.com/${'a'.repeat(2000)}`,
    ])
      expect(CreateWebhookRequest.safeParse({ ...ok, url }).success).toBe(false);
    expect(CreateWebhookRequest.safeParse({ ...ok, events: [] }).success).toBe(false);
    expect(CreateWebhookRequest.safeParse({ ...ok, events: ['ping'] }).success).toBe(false);
    expect(CreateWebhookRequest.safeParse({ ...ok, secret: 'whsec_x' }).success).toBe(false);
  });

  it('subscribe to each event type once', () => {
    expect(
      CreateWebhookRequest.parse({ ...ok, events: ['call.ended', 'call.ended', 'lead.deleted'] })
        .events,
    ).toEqual(['call.ended', 'lead.deleted']);
    expect(UpdateWebhookRequest.parse({})).toEqual({});
  });
});

describe('request examples (the API document shows them)', () => {
  it('every example is accepted by its own schema', () => {
    expect(REQUEST_EXAMPLES.length).toBeGreaterThanOrEqual(28);
    const refused = REQUEST_EXAMPLES.flatMap(([schema, value]) => {
      const r = schema.safeParse(value);
      return r.success ? [] : [{ value, issues: r.error.issues.map((i) => i.message) }];
    });
    expect(refused).toEqual([]);
  });
});
