import { describeDays, describeSchedule, doneShare } from './campaign-format';

describe('campaign wording', () => {
  it('writes days as ranges and lists', () => {
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon-Fri');
    expect(describeDays(['mon', 'wed', 'fri'])).toBe('Mon, Wed, Fri');
    expect(describeDays(['sat', 'sun'])).toBe('Sat, Sun');
    expect(describeDays([])).toBe('no day');
  });

  it("names the zone: each lead's, or the campaign's", () => {
    const schedule = {
      startAt: null,
      endAt: null,
      days: ['mon', 'tue', 'wed'] as const,
      window: { start: '09:00', end: '20:00' },
    };
    expect(
      describeSchedule({ schedule: { ...schedule, days: [...schedule.days], timezone: 'lead' } }),
    ).toBe("Mon-Wed 09:00-20:00, each lead's time zone");
    expect(
      describeSchedule({
        schedule: { ...schedule, days: [...schedule.days], timezone: 'Europe/Paris' },
      }),
    ).toBe('Mon-Wed 09:00-20:00, Europe/Paris');
  });

  it('counts completed, failed and skipped leads as done', () => {
    const progress = {
      total: 8,
      waiting: 2,
      scheduled: 1,
      dialing: 1,
      completed: 2,
      failed: 1,
      skipped: 1,
      skippedBy: {},
    };
    expect(doneShare({ progress })).toBe(0.5);
    expect(doneShare({ progress: { ...progress, total: 0 } })).toBe(0);
  });
});
