import { mapHeader, parseRow } from './lead-row';

/** The import's second part on its own: a row checked by the JSON API's contract. */
describe('lead rows', () => {
  const columns = mapHeader([
    'Phone Number',
    'First Name',
    'e-mail',
    'Status',
    'Tags',
    'Plan',
    'id',
    'Next Call At',
  ]);

  it('maps the header: aliases, field names in any spelling, custom fields, server columns ignored', () => {
    expect(columns).toEqual([
      { field: 'phone', name: 'Phone Number' },
      { field: 'firstName', name: 'First Name' },
      { field: 'email', name: 'e-mail' },
      { field: 'status', name: 'Status' },
      { field: 'tags', name: 'Tags' },
      { field: null, name: 'Plan' },
      { field: null, name: '' },
      { field: 'nextCallAt', name: 'Next Call At' },
    ]);
  });

  it('normalises a good row as the JSON API would, leaving empty cells out', () => {
    expect(
      parseRow(
        ['(415) 555-0101', ' Ada ', '', 'Do Not Call', 'VIP; renewal|vip', 'gold', 'x', ''],
        columns,
      ),
    ).toEqual({
      ok: true,
      row: {
        phone: '+14155550101',
        firstName: 'Ada',
        status: 'do_not_call',
        tags: ['vip', 'renewal'],
        customFields: { Plan: 'gold' },
      },
    });
  });

  it.each([
    [['', 'Ada'], 'phone is required'],
    [['12345'], 'phone "12345" is not a valid number'],
    [['+14155550101', '', 'not-an-email'], 'email "not-an-email": '],
    [['+14155550101', '', '', 'maybe'], 'status "maybe": '],
    [
      ['+14155550101', '', '', '', 'a/b'],
      'tags "a/b": tags are 1-40 letters, digits, space, _ : . -',
    ],
    [['+14155550101', 'x'.repeat(101)], 'first_name "'],
    [
      ['+14155550101', '', '', '', '', '', '', '2026-03-01T09:30:00+23:00'],
      'next_call_at "2026-03-01T09:30:00+23:00": must be a date-time',
    ],
    [['+14155550101', 'A\u0000'], 'the row contains a NUL character'],
  ])('refuses %j: %s', (cells, reason) => {
    const r = parseRow(cells, columns);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain(reason);
  });
});
