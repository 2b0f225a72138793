import {
  formatCount,
  formatDuration,
  formatExpiry,
  formatMoney,
  formatPercent,
  formatPhone,
  formatWhen,
  leadName,
  providerName,
} from './format';

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(754)).toBe('12:34');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('formats rates and money', () => {
    expect(formatPercent(0.456)).toBe('46%');
    expect(formatPercent(0.05)).toBe('5.0%');
    expect(formatMoney(12.5)).toBe('$12.50');
    expect(formatMoney(0.0123)).toBe('$0.0123');
    expect(formatMoney(undefined)).toBe('—');
    // the formatters are kept per currency and precision, not shared across them
    expect(formatMoney(12.5, 'EUR')).toBe('€12.50');
    expect(formatMoney(0.5)).toBe('$0.50');
    expect(formatMoney(12.5)).toBe('$12.50');
  });

  it('counts rows with their noun, thousands grouped', () => {
    expect(formatCount(0, 'lead')).toBe('0 leads');
    expect(formatCount(1, 'lead')).toBe('1 lead');
    expect(formatCount(1234, 'lead')).toBe('1,234 leads');
    expect(formatCount(1_000_000, 'call')).toBe('1,000,000 calls');
  });

  it('names a lead, falling back to the phone', () => {
    expect(leadName({ firstName: 'Ada', lastName: null, phone: '+1' })).toBe('Ada');
    expect(leadName({ firstName: null, lastName: null, phone: '+14155550100' })).toBe(
      '+14155550100',
    );
  });

  it('says how long an invitation has left', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
    expect(formatExpiry(at(7 * 24 - 0.01), now)).toBe('expires in 7 days');
    expect(formatExpiry(at(30), now)).toBe('expires in 1 day');
    expect(formatExpiry(at(23), now)).toBe('expires within a day');
    expect(formatExpiry(at(0), now)).toBe('expired');
    expect(formatExpiry(at(-5), now)).toBe('expired');
    expect(formatExpiry('not a date', now)).toBe('expired');
  });

  it('spells LLM providers as their owners do', () => {
    expect(providerName('openai')).toBe('OpenAI');
    expect(providerName('azure_openai')).toBe('Azure OpenAI');
    expect(providerName('anthropic')).toBe('Anthropic');
  });

  describe('formatWhen (issue 15 item 5: one formatter, the workspace zone, relative when recent)', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    const opts = { now, locale: 'en-US', timeZone: 'America/New_York' };

    it('words the last and the next 12 hours relative to now', () => {
      expect(formatWhen(at(-20_000), opts)).toBe('just now');
      expect(formatWhen(at(-5 * 60_000), opts)).toBe('5 min ago');
      expect(formatWhen(at(5 * 60_000), opts)).toBe('in 5 min');
      expect(formatWhen(at(-3 * 3_600_000), opts)).toBe('3 h ago');
      expect(formatWhen(at(2 * 3_600_000), opts)).toBe('in 2 h');
    });

    it('gives older dates in the workspace zone, not the browser one', () => {
      const older = '2026-12-01T02:30:00Z';
      expect(formatWhen(older, opts)).toBe('Nov 30, 2026, 09:30 PM');
      expect(formatWhen(older, { ...opts, timeZone: 'Asia/Tokyo' })).toBe('Dec 1, 2026, 11:30 AM');
    });

    it('gives the exact time to the second when asked, however recent', () => {
      expect(formatWhen(at(-20_000), { ...opts, exact: true })).toBe('Dec 7, 2026, 06:59:40 AM');
    });

    it('shows a dash for nothing or garbage', () => {
      expect(formatWhen(null, opts)).toBe('—');
      expect(formatWhen('not a date', opts)).toBe('—');
    });
  });

  it('formats phone numbers for reading, international format (libphonenumber-js)', () => {
    expect(formatPhone('+14155550177')).toBe('+1 415 555 0177');
    expect(formatPhone('+442071838750')).toBe('+44 20 7183 8750');
    expect(formatPhone('12345')).toBe('12345');
    expect(formatPhone(null)).toBe('—');
    // a number seen before is given from memory, the same
    expect(formatPhone('+14155550177')).toBe('+1 415 555 0177');
    expect(formatPhone('12345')).toBe('12345');
  });
});
