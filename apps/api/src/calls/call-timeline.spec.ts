import { impliedFields, mergedTimestamps, timestampIssues } from './call-timeline';

const NOW = '2026-01-02T12:00:00.000Z';

describe('call timeline rules', () => {
  it('a status implies the timestamps a call in it must have', () => {
    expect(impliedFields('queued')).toEqual([]);
    expect(impliedFields('ringing')).toEqual(['startedAt']);
    expect(impliedFields('in_progress')).toEqual(['startedAt', 'answeredAt']);
    expect(impliedFields('completed')).toEqual(['startedAt', 'answeredAt', 'endedAt']);
    expect(impliedFields('busy')).toEqual(['startedAt', 'endedAt']);
  });

  it('fills an implied timestamp with the next one known after it, else now', () => {
    const body = { endedAt: '2026-01-02T10:00:00Z' };
    const merged = mergedTimestamps(body, {}, 'completed', NOW);
    expect(merged.at).toEqual({
      startedAt: '2026-01-02T10:00:00Z',
      answeredAt: '2026-01-02T10:00:00Z',
      endedAt: '2026-01-02T10:00:00Z',
    });
    expect(merged.filled).toEqual(['startedAt', 'answeredAt']);
    expect(mergedTimestamps({}, {}, 'ringing', NOW).at.startedAt).toBe(NOW);
  });

  it('keeps stored timestamps a write does not give', () => {
    const stored = { startedAt: '2026-01-02T09:00:00Z' };
    expect(mergedTimestamps({}, stored, 'in_progress', NOW).at).toEqual({
      startedAt: '2026-01-02T09:00:00Z',
      answeredAt: NOW,
      endedAt: undefined,
    });
  });

  it.each([
    [
      { startedAt: '2026-01-02T10:05:00Z', endedAt: '2026-01-02T10:01:00Z' },
      'endedAt: must not be before startedAt',
    ],
    [
      { answeredAt: '2026-01-02T10:05:00Z', startedAt: '2026-01-02T10:06:00Z' },
      'answeredAt: must not be before startedAt',
    ],
    [
      { startedAt: '2026-01-02T12:06:00Z' },
      'startedAt: must not be in the future (more than 5 minutes ahead)',
    ],
    [
      { answeredAt: '2025-12-31T10:00:00Z', endedAt: '2026-01-02T11:00:00Z' },
      'endedAt: a call lasts at most 24 hours after answeredAt',
    ],
  ])('refuses %j: %s', (body, issue) => {
    expect(timestampIssues(body, mergedTimestamps(body, {}, undefined, NOW), NOW)).toEqual([issue]);
  });

  it('allows a timestamp up to 5 minutes ahead of the clock', () => {
    const body = { startedAt: '2026-01-02T12:04:59Z' };
    expect(timestampIssues(body, mergedTimestamps(body, {}, undefined, NOW), NOW)).toEqual([]);
  });
});
