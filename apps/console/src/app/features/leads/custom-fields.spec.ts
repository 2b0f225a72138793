import { fromRows, toRows } from './custom-fields';

describe('custom fields editor rows', () => {
  it('round-trips stored values, keeping the type of an untouched one', () => {
    const stored = { plan: 'gold', seats: 12, vip: true, address: { city: 'Oslo' } };
    expect(fromRows(toRows(stored))).toEqual({ ok: true, fields: stored });
  });

  it('stores an edited value as the text typed, and adds new rows', () => {
    const rows = toRows({ seats: 12 });
    rows[0].value = '15 (from March)';
    rows.push({ key: ' source ', value: 'fair' });
    expect(fromRows(rows)).toEqual({
      ok: true,
      fields: { seats: '15 (from March)', source: 'fair' },
    });
  });

  it('drops blank rows; a removed row removes the field', () => {
    const rows = toRows({ a: '1', b: '2' }).filter((r) => r.key !== 'a');
    rows.push({ key: '', value: '  ' });
    expect(fromRows(rows)).toEqual({ ok: true, fields: { b: '2' } });
  });

  it('refuses a value without a name and a name given twice', () => {
    expect(fromRows([{ key: '', value: 'x' }])).toEqual({
      ok: false,
      error: 'every custom field needs a name',
    });
    expect(
      fromRows([
        { key: 'a', value: '1' },
        { key: ' a', value: '2' },
      ]),
    ).toEqual({
      ok: false,
      error: 'the custom field "a" appears twice',
    });
  });

  it('a field named __proto__ is an ordinary field, not a prototype', () => {
    const r = fromRows([{ key: '__proto__', value: 'x' }]);
    expect(r.ok && Object.keys(r.fields)).toEqual(['__proto__']);
    expect(r.ok && Object.getPrototypeOf(r.fields)).toBe(Object.prototype);
  });
});
