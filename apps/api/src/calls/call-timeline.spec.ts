import type { UpdateCallRequest } from '@acc/contracts';
import {
  type TimeField,
  impliedFields,
  mergeReport,
  mergedTimestamps,
  reportedStatus,
  timestampIssues,
} from './call-timeline';

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
    [
      { answeredAt: '2026-01-02T10:05:00Z', endedAt: '2026-01-02T10:01:00Z' },
      'endedAt: must not be before answeredAt',
    ],
  ])('refuses %j: %s', (body, issue) => {
    expect(timestampIssues(body, mergedTimestamps(body, {}, undefined, NOW), NOW)).toEqual([issue]);
  });

  const issuesOf = (body: UpdateCallRequest, stored: Partial<Record<TimeField, string>> = {}) =>
    timestampIssues(body, mergedTimestamps(body, stored, undefined, NOW), NOW);

  it('names the field the write gave, not the stored one it contradicts', () => {
    expect(
      issuesOf({ startedAt: '2026-01-02T10:05:00Z' }, { endedAt: '2026-01-02T10:01:00Z' }),
    ).toEqual(['startedAt: must not be after endedAt']);
    expect(
      issuesOf({ answeredAt: '2025-12-31T10:00:00Z' }, { endedAt: '2026-01-02T11:00:00Z' }),
    ).toEqual(['answeredAt: a call lasts at most 24 hours before endedAt']);
  });

  it('reports each pair out of order once (started after ended follows from the others)', () => {
    const body = {
      startedAt: '2026-01-02T10:05:00Z',
      answeredAt: '2026-01-02T10:03:00Z',
      endedAt: '2026-01-02T10:01:00Z',
    };
    expect(issuesOf(body)).toEqual([
      'answeredAt: must not be before startedAt',
      'endedAt: must not be before answeredAt',
    ]);
  });

  it('names the later field of a stored pair the write did not touch', () => {
    const stored = {
      startedAt: '2026-01-02T10:05:00Z',
      answeredAt: '2026-01-02T10:03:00Z',
    };
    expect(issuesOf({ endedAt: '2026-01-02T10:10:00Z' }, stored)).toEqual([
      'answeredAt: must not be before startedAt',
    ]);
    const long = { answeredAt: '2025-12-31T10:00:00Z', endedAt: '2026-01-02T11:00:00Z' };
    expect(issuesOf({ startedAt: '2025-12-31T09:00:00Z' }, long)).toEqual([
      'endedAt: a call lasts at most 24 hours after answeredAt',
    ]);
  });

  it('judges only what a write changes, not stored timestamps it leaves alone', () => {
    expect(issuesOf({}, { startedAt: '2026-01-03T00:00:00Z' })).toEqual([]);
    expect(
      issuesOf({}, { startedAt: '2026-01-02T10:05:00Z', endedAt: '2026-01-02T10:01:00Z' }),
    ).toEqual([]);
  });

  it.each([
    [{ startedAt: '2026-01-02T10:00:00Z', endedAt: '2026-01-02T10:00:00Z' }],
    [{ answeredAt: '2026-01-02T10:00:00Z', endedAt: '2026-01-02T11:00:00Z' }],
    // exactly 24 hours
    [{ answeredAt: '2026-01-01T11:00:00Z', endedAt: '2026-01-02T11:00:00Z' }],
    // exactly 5 minutes ahead of the clock
    [{ startedAt: '2026-01-02T12:05:00Z' }],
    // before 1970 (a negative epoch), with nothing to be out of order with
    [{ endedAt: '1969-12-31T00:00:00Z' }],
  ])('accepts %j', (body) => {
    expect(issuesOf(body)).toEqual([]);
  });

  it('allows a timestamp up to 5 minutes ahead of the clock', () => {
    const body = { startedAt: '2026-01-02T12:04:59Z' };
    expect(timestampIssues(body, mergedTimestamps(body, {}, undefined, NOW), NOW)).toEqual([]);
  });
});

describe('provider reports', () => {
  // a call ends once; two different ends reported for it resolve in this order
  const ENDS = ['completed', 'voicemail', 'busy', 'no_answer', 'canceled', 'failed'] as const;

  it('moves the status forward only', () => {
    expect(reportedStatus(undefined, 'ringing')).toBe('ringing');
    expect(reportedStatus('ringing', 'in_progress')).toBe('in_progress');
    expect(reportedStatus('in_progress', 'ringing')).toBe('in_progress');
    expect(reportedStatus('completed', 'in_progress')).toBe('completed');
    expect(reportedStatus('ringing', 'ringing')).toBe('ringing');
  });

  it.each(ENDS.flatMap((first, i) => ENDS.slice(i + 1).map((later) => [first, later])))(
    'between the ends %s and %s, the first wins whichever arrives first',
    (first, later) => {
      expect(reportedStatus(first, later)).toBe(first);
      expect(reportedStatus(later, first)).toBe(first);
    },
  );

  it('keeps stored fields that an event reports as null, and adds no empty keys', () => {
    const stored = { status: 'completed' as const, summary: 'kept', outcome: 'sale' };
    const m = mergeReport(
      stored,
      { status: 'completed', facts: { summary: null }, fallbacks: { outcome: null } },
      NOW,
    );
    expect(Object.keys(m.values).sort()).toEqual(['answeredAt', 'endedAt', 'startedAt']);
  });

  it('fills a timestamp the status implies when the stored one and the guess are null', () => {
    const m = mergeReport(
      { status: 'queued', startedAt: null },
      { status: 'ringing', facts: {}, fallbacks: { startedAt: null } },
      NOW,
    );
    expect(m).toEqual({ status: 'ringing', values: { startedAt: NOW }, issues: [] });
    expect(Object.keys(m.values)).toEqual(['startedAt']);
  });
});
