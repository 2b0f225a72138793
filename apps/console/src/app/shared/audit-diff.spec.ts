import { actorLabel, diffLines } from './audit-diff';

describe('audit diff', () => {
  it('reads old → new, a new value alone, and a secret as changed', () => {
    expect(
      diffLines({ changes: { name: ['Ann', 'Anna'], company: [null, 'Acme'], secret: 'changed' } }),
    ).toEqual([
      { field: 'name', text: 'Ann → Anna' },
      { field: 'company', text: 'Acme' },
      { field: 'secret', text: 'changed (secret, not recorded)' },
    ]);
  });

  it('names the actor by type', () => {
    expect(actorLabel({ actor: { type: 'api_key', id: 'k', name: 'CRM' } })).toBe('API key CRM');
    expect(actorLabel({ actor: { type: 'system', id: null, name: 'system' } })).toBe('System');
    expect(
      actorLabel({
        actor: { type: 'system', id: 'campaign_engine', name: 'Campaign engine' },
      }),
    ).toBe('Campaign engine');
    expect(actorLabel({ actor: { type: 'user', id: 'u', name: 'Bob' } })).toBe('Bob');
  });
});
