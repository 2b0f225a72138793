import { ListSort } from './list-sort';

describe('ListSort', () => {
  const s = new ListSort<'name' | 'status'>({
    name: 'name',
    status: 'status',
    created: 'createdAt',
  });

  it('reads the URL: a known order as it is, anything else as newest first', () => {
    expect(s.parse('name')).toBe('name');
    expect(s.parse('-status')).toBe('-status');
    expect(s.parse('createdAt')).toBe('createdAt');
    expect(s.parse(null)).toBe('-createdAt');
    expect(s.parse('phone')).toBe('-createdAt');
    expect(s.parse('-')).toBe('-createdAt');
  });

  it('shows an order on its column, the default on the created column descending', () => {
    expect(s.header('-createdAt')).toEqual({ active: 'created', direction: 'desc' });
    expect(s.header('name')).toEqual({ active: 'name', direction: 'asc' });
    expect(s.header('-status')).toEqual({ active: 'status', direction: 'desc' });
  });

  it('turns a header click into the API order; a cleared or unknown header is the default', () => {
    expect(s.fromHeader({ active: 'name', direction: 'asc' })).toBe('name');
    expect(s.fromHeader({ active: 'name', direction: 'desc' })).toBe('-name');
    expect(s.fromHeader({ active: 'created', direction: 'asc' })).toBe('createdAt');
    expect(s.fromHeader({ active: 'name', direction: '' })).toBe('-createdAt');
    expect(s.fromHeader({ active: 'phone', direction: 'asc' })).toBe('-createdAt');
  });

  it('shows the default order on no column when the table has no created column', () => {
    const agents = new ListSort<'name' | 'updatedAt'>({ name: 'name', updated: 'updatedAt' });
    expect(agents.header('-createdAt')).toEqual({ active: '', direction: '' });
    expect(agents.header('-updatedAt')).toEqual({ active: 'updated', direction: 'desc' });
    expect(agents.parse('createdAt')).toBe('-createdAt');
  });

  it('leaves the default out of the URL', () => {
    expect(s.param('-createdAt')).toBeNull();
    expect(s.param('createdAt')).toBe('createdAt');
    expect(s.param('-name')).toBe('-name');
  });

  it('round-trips every order through the header', () => {
    for (const sort of ['name', '-name', 'status', '-status', 'createdAt', '-createdAt'] as const)
      expect(s.fromHeader(s.header(sort))).toBe(sort);
  });
});
