import { EligibilityInput, evaluate, leadZone } from './eligibility';
import { describeDays, localTime, nextWindowOpening, zonedInstant } from './local-time';
import { zoneOfPhone } from './phone-zones';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const at = (s: string) => Date.parse(s);

/** A lead in Chicago, a running campaign Mon-Fri 09:00-20:00 in the lead's zone, nothing else in the way. */
const base = (over: Partial<EligibilityInput> = {}): EligibilityInput => ({
  // Wednesday 2026-03-04 15:00 in Chicago (CST, UTC-6)
  now: at('2026-03-04T21:00:00Z'),
  lead: { phone: '+13125550100', status: 'new', timezone: 'America/Chicago' },
  tenant: { timezone: 'Europe/Paris', maxConcurrentCalls: 5, activeCalls: 0 },
  dnc: null,
  schedule: { days: WEEKDAYS, window: { start: '09:00', end: '20:00' }, timezone: 'lead' },
  campaign: {
    status: 'running',
    maxConcurrentCalls: null,
    activeCalls: 0,
    maxAttempts: 3,
    retryDelayMinutes: 60,
    lead: { state: 'waiting', attempts: 0, lastAttemptAt: null },
  },
  ...over,
});

describe('eligibility', () => {
  it('a lead inside its window on an allowed day, with nothing else in the way, is eligible now', () => {
    const r = evaluate(base());
    expect(r).toMatchObject({
      eligible: true,
      reasons: [],
      nextEligibleAt: '2026-03-04T21:00:00.000Z',
      timezone: { zone: 'America/Chicago', source: 'lead' },
      localTime: '2026-03-04 15:00',
      permanent: false,
    });
  });

  it('after the window in the lead’s local time: the reason reads the local clock, next is 09:00 there tomorrow', () => {
    // 21:14 in Chicago is 03:14 UTC the next day
    const r = evaluate(base({ now: at('2026-03-05T03:14:00Z') }));
    expect(r.eligible).toBe(false);
    expect(r.reasons).toEqual(['21:14 in America/Chicago, window 09:00-20:00']);
    expect(r.codes).toEqual(['window']);
    expect(r.nextEligibleAt).toBe('2026-03-05T15:00:00.000Z');
    expect(r.permanent).toBe(false);
  });

  it('before the window opens: next is its opening today', () => {
    const r = evaluate(base({ now: at('2026-03-04T12:30:00Z') })); // 06:30 in Chicago
    expect(r.reasons).toEqual(['06:30 in America/Chicago, window 09:00-20:00']);
    expect(r.nextEligibleAt).toBe('2026-03-04T15:00:00.000Z');
  });

  it('on a day that is not allowed: names the day and the allowed days, next is Monday 09:00 local', () => {
    const r = evaluate(base({ now: at('2026-03-07T18:00:00Z') })); // Saturday noon in Chicago
    expect(r.reasons).toEqual(['Saturday in America/Chicago, calling days Mon-Fri']);
    expect(r.nextEligibleAt).toBe('2026-03-09T14:00:00.000Z'); // Monday 09:00 CDT (DST began Sunday)
  });

  it('the window end is excluded: 20:00 sharp is outside', () => {
    const r = evaluate(base({ now: at('2026-03-05T02:00:00Z') })); // 20:00 CST
    expect(r.codes).toEqual(['window']);
  });

  it('a do-not-call number: never, with when and why it was listed', () => {
    const r = evaluate(base({ dnc: { createdAt: '2026-02-01T10:00:00Z', reason: 'asked' } }));
    expect(r).toMatchObject({
      eligible: false,
      reasons: ['on the do-not-call list since 2026-02-01 10:00 UTC (asked)'],
      nextEligibleAt: null,
      permanent: true,
    });
  });

  it('a lead marked do not call: never', () => {
    const r = evaluate(base({ lead: { ...base().lead, status: 'do_not_call' } }));
    expect(r.reasons).toEqual(['the lead is marked do not call']);
    expect(r.nextEligibleAt).toBeNull();
  });

  it('attempts used up: "3 of 3 attempts used", never', () => {
    const campaign = base().campaign as NonNullable<EligibilityInput['campaign']>;
    const r = evaluate(
      base({
        campaign: {
          ...campaign,
          lead: { state: 'scheduled', attempts: 3, lastAttemptAt: '2026-03-04T20:00:00Z' },
        },
      }),
    );
    expect(r.reasons).toEqual(['3 of 3 attempts used']);
    expect(r.nextEligibleAt).toBeNull();
  });

  it('inside the retry delay: next is the last attempt plus the delay', () => {
    const campaign = base().campaign as NonNullable<EligibilityInput['campaign']>;
    const r = evaluate(
      base({
        campaign: {
          ...campaign,
          lead: { state: 'scheduled', attempts: 1, lastAttemptAt: '2026-03-04T20:30:00Z' },
        },
      }),
    );
    expect(r.reasons).toEqual([
      'next attempt not before 2026-03-04 21:30 UTC (60 min after the last)',
    ]);
    expect(r.nextEligibleAt).toBe('2026-03-04T21:30:00.000Z');
  });

  it('a retry due after the window closes waits for the next opening', () => {
    const campaign = base().campaign as NonNullable<EligibilityInput['campaign']>;
    const r = evaluate(
      base({
        now: at('2026-03-05T01:30:00Z'), // 19:30 in Chicago
        campaign: {
          ...campaign,
          lead: { state: 'scheduled', attempts: 1, lastAttemptAt: '2026-03-05T01:20:00Z' },
        },
      }),
    );
    expect(r.codes).toEqual(['retry_delay']);
    expect(r.nextEligibleAt).toBe('2026-03-05T15:00:00.000Z');
  });

  it('the caps: the campaign’s and the workspace’s, counted in calls in progress; time rules allow now', () => {
    const campaign = base().campaign as NonNullable<EligibilityInput['campaign']>;
    const r = evaluate(
      base({
        tenant: { timezone: 'UTC', maxConcurrentCalls: 4, activeCalls: 4 },
        campaign: { ...campaign, maxConcurrentCalls: 2, activeCalls: 2 },
      }),
    );
    expect(r.reasons).toEqual([
      'the campaign is at its limit: 2 of 2 calls in progress',
      'the workspace is at its limit: 4 of 4 calls in progress',
    ]);
    expect(r).toMatchObject({ capacityOnly: true, permanent: false });
    expect(r.nextEligibleAt).toBe('2026-03-04T21:00:00.000Z');
  });

  it('a campaign that is not running, or has not reached the lead', () => {
    const campaign = base().campaign as NonNullable<EligibilityInput['campaign']>;
    expect(evaluate(base({ campaign: { ...campaign, status: 'paused' } })).reasons).toEqual([
      'the campaign is paused',
    ]);
    expect(
      evaluate(base({ campaign: { ...campaign, status: 'draft' } })).nextEligibleAt,
    ).toBeNull();
    expect(evaluate(base({ campaign: { ...campaign, lead: undefined } })).reasons).toEqual([
      "not in this campaign's lead list",
    ]);
    const dialing = evaluate(
      base({
        campaign: { ...campaign, lead: { state: 'dialing', attempts: 1, lastAttemptAt: null } },
      }),
    );
    expect(dialing.reasons).toEqual(['a call to this lead is in progress']);
  });

  it('campaign dates: before the start waits for it; after the end, never; a window past the end, never', () => {
    const schedule = base().schedule;
    // starts Thursday 21:00 in Chicago, after that day's window: Friday 09:00 there
    const early = evaluate(base({ schedule: { ...schedule, startAt: '2026-03-06T03:00:00Z' } }));
    expect(early.reasons).toEqual(['the campaign starts at 2026-03-06 03:00 UTC']);
    expect(early.nextEligibleAt).toBe('2026-03-06T15:00:00.000Z');
    // starts inside a window: at the start itself
    const inside = evaluate(base({ schedule: { ...schedule, startAt: '2026-03-05T16:00:00Z' } }));
    expect(inside.nextEligibleAt).toBe('2026-03-05T16:00:00.000Z');
    const over = evaluate(base({ schedule: { ...schedule, endAt: '2026-03-04T20:00:00Z' } }));
    expect(over.reasons).toEqual(['the campaign ended at 2026-03-04 20:00 UTC']);
    expect(over.nextEligibleAt).toBeNull();
    const tooLate = evaluate(
      base({
        now: at('2026-03-05T03:00:00Z'),
        schedule: { ...schedule, endAt: '2026-03-05T10:00:00Z' },
      }),
    );
    expect(tooLate.codes).toEqual(['window', 'campaign_ended']);
    expect(tooLate.nextEligibleAt).toBeNull();
  });

  it('"Call now" by an admin may ignore the window and days, never the do-not-call list', () => {
    const sunday = at('2026-03-08T06:00:00Z');
    const callNow = { now: sunday, campaign: undefined, ignoreWindow: true };
    expect(evaluate(base(callNow)).eligible).toBe(true);
    expect(evaluate(base({ now: sunday, campaign: undefined })).codes).toEqual(['day']);
    const listed = evaluate(
      base({ ...callNow, dnc: { createdAt: '2026-02-01T10:00:00Z', reason: null } }),
    );
    expect(listed.reasons).toEqual(['on the do-not-call list since 2026-02-01 10:00 UTC']);
  });

  it('no allowed day at all: never', () => {
    const r = evaluate(base({ campaign: undefined, schedule: { ...base().schedule, days: [] } }));
    expect(r.reasons).toContain('no calling day is allowed');
    expect(r.nextEligibleAt).toBeNull();
  });
});

describe("the zone of a lead's window", () => {
  const tenant = 'Europe/Paris';
  it('is the campaign’s own zone first, then the lead’s, then its number’s country, then the tenant’s', () => {
    const lead = { phone: '+442079460958', timezone: 'Asia/Tokyo' };
    expect(leadZone({ timezone: 'America/Denver' }, lead, tenant)).toEqual({
      zone: 'America/Denver',
      source: 'campaign',
    });
    expect(leadZone({ timezone: 'lead' }, lead, tenant)).toEqual({
      zone: 'Asia/Tokyo',
      source: 'lead',
    });
    expect(leadZone({ timezone: 'lead' }, { ...lead, timezone: null }, tenant)).toEqual({
      zone: 'Europe/London',
      source: 'phone',
    });
    expect(
      leadZone({ timezone: 'lead' }, { phone: '+14155550100', timezone: null }, tenant),
    ).toEqual({ zone: tenant, source: 'tenant' });
  });

  it.each([
    ['+442079460958', 'Europe/London'],
    ['+33142685300', 'Europe/Paris'],
    ['+18765550101', 'America/Jamaica'],
    ['+14155550100', null], // US spans zones
    ['+61291234567', null], // so does Australia
    ['+15145550100', null], // and Canada
    ['not a number', null],
  ])('%s pins %s', (phone, zone) => {
    expect(zoneOfPhone(phone)).toBe(zone);
  });

  it('every zone of the table is known to the runtime', async () => {
    const { SINGLE_ZONE_COUNTRIES } = await import('./phone-zones');
    for (const zone of Object.values(SINGLE_ZONE_COUNTRIES))
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
  });
});

describe('local time', () => {
  it('finds the instant of a wall-clock time, across daylight saving', () => {
    expect(new Date(zonedInstant(2026, 1, 15, '09:00', 'America/New_York')).toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    expect(new Date(zonedInstant(2026, 7, 15, '09:00', 'America/New_York')).toISOString()).toBe(
      '2026-07-15T13:00:00.000Z',
    );
    // 02:30 does not exist on 2026-03-08 in New York: moved past the jump, to 03:30 EDT
    expect(new Date(zonedInstant(2026, 3, 8, '02:30', 'America/New_York')).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    // 01:30 happens twice on 2026-11-01: the first (EDT)
    expect(new Date(zonedInstant(2026, 11, 1, '01:30', 'America/New_York')).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(new Date(zonedInstant(2026, 6, 1, '09:00', 'Asia/Kolkata')).toISOString()).toBe(
      '2026-06-01T03:30:00.000Z',
    );
  });

  it('reads the local clock and weekday', () => {
    expect(localTime(at('2026-03-05T03:14:00Z'), 'America/Chicago')).toEqual({
      year: 2026,
      month: 3,
      day: 4,
      hour: 21,
      minute: 14,
      weekday: 3,
    });
  });

  it('opens the next window across a week-end and a month end', () => {
    const w = { start: '09:00', end: '17:00' };
    // Friday 2026-07-31 18:00 in Paris -> Monday 2026-08-03 09:00 (UTC+2)
    expect(
      new Date(
        nextWindowOpening(at('2026-07-31T16:00:00Z'), 'Europe/Paris', WEEKDAYS, w) as number,
      ).toISOString(),
    ).toBe('2026-08-03T07:00:00.000Z');
    expect(nextWindowOpening(at('2026-07-31T16:00:00Z'), 'Europe/Paris', [], w)).toBeNull();
    // only Thursdays, from a Thursday after the window: a week later
    expect(
      new Date(
        nextWindowOpening(at('2026-07-30T18:00:00Z'), 'Europe/Paris', ['thu'], w) as number,
      ).toISOString(),
    ).toBe('2026-08-06T07:00:00.000Z');
  });

  it('writes allowed days as people do', () => {
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon-Fri');
    expect(describeDays(['mon', 'wed', 'fri'])).toBe('Mon, Wed, Fri');
    expect(describeDays(['sat', 'sun'])).toBe('Sat, Sun');
    expect(describeDays(['mon', 'tue', 'wed', 'sat'])).toBe('Mon-Wed, Sat');
    expect(describeDays([])).toBe('none');
  });
});
