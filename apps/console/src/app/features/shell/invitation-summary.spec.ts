import type { Invitation } from '@acc/contracts';
import { invitationSummary } from './invitation-summary';

const inv = (invitedBy: string | null): Invitation => ({
  id: '00000000-0000-4000-8000-000000000001',
  tenant: { id: '00000000-0000-4000-8000-000000000002', name: 'Acme Calls' },
  role: 'member',
  invitedBy,
  expiresAt: '2026-03-08T12:00:00.000Z',
});

describe('invitationSummary', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('says who invites you where, as what, and for how long', () => {
    expect(invitationSummary(inv('Ada Admin'), now)).toBe(
      'Ada Admin invited you to Acme Calls as member (expires in 7 days).',
    );
  });

  it('still reads when the inviter account is gone', () => {
    expect(invitationSummary(inv(null), now)).toBe(
      'A workspace admin invited you to Acme Calls as member (expires in 7 days).',
    );
  });
});
