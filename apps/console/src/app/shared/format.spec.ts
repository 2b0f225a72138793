import {
  formatDuration,
  formatExpiry,
  formatMoney,
  formatPercent,
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
});
