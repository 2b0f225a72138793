import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import type { Member, Role } from '@acc/contracts';
import type { AuditEntry, AuditService } from '../audit/audit.service';
import type { InvitationMail, MailService } from '../mail/mail.service';
import { requestContext } from '../tenancy/request-context';
import type { InvitationsRepository } from './invitations.repository';
import { INVITE_TTL_DAYS, tokenHash } from './secret-links';
import type { MemberState, UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * The member rules on their own, against a workspace held in memory: who may
 * grant, change and remove which role, the last active owner, invitations
 * activated only by their invitee, and the one audit event of each change.
 * The row locks that make these rules hold under concurrency are the API
 * specs' (members.api.spec.ts, cross-tenant.api.spec.ts) to prove; this spec
 * is fast enough for the mutation run (`npm run test:mutation -- members`).
 */
interface Row extends MemberState {
  email: string;
  fullName: string;
}

const TENANT = '00000000-0000-4000-8000-00000000000a';

function workspace(rows: Record<string, Partial<Row> & { role: Role }>) {
  const members = new Map<string, Row>(
    Object.entries(rows).map(([id, r]) => [
      id,
      { status: 'active', hasPassword: true, email: `${id}@example.com`, fullName: id, ...r },
    ]),
  );
  const calls: string[] = [];
  const audit: AuditEntry[] = [];
  const mails: InvitationMail[] = [];
  const invitations: Array<Record<string, unknown>> = [];
  let renewable = true;
  let next = 0;
  const users = {
    members: async (limit: number, cursor?: string) => ({
      data: [...members.keys()].slice(0, limit),
      nextCursor: cursor ?? null,
    }),
    member: async (id: string) => {
      const r = members.get(id);
      return r && ({ id, email: r.email, role: r.role, status: r.status } as unknown as Member);
    },
    holdOrCreate: async (email: string) =>
      [...members.entries()].find(([, r]) => r.email === email)?.[0] ?? `new-${++next}`,
    addMember: async (id: string, role: Role, status: Member['status']) => {
      if (members.has(id)) return false;
      members.set(id, {
        role,
        status,
        hasPassword: false,
        email: `${id}@example.com`,
        fullName: id,
      });
      return true;
    },
    lockMember: async (id: string) => {
      const r = members.get(id);
      return r && { role: r.role, status: r.status, hasPassword: r.hasPassword };
    },
    lockOwners: async () =>
      [...members.entries()]
        .filter(([, r]) => r.role === 'owner' && r.status === 'active')
        .map(([id]) => id),
    updateMember: async (id: string, patch: { role?: Role; status?: Member['status'] }) => {
      calls.push(`updateMember ${id} ${JSON.stringify(patch)}`);
      const r = members.get(id) as Row;
      if (patch.role) r.role = patch.role;
      if (patch.status) r.status = patch.status;
    },
    removeMember: async (id: string) => {
      calls.push(`removeMember ${id}`);
      members.delete(id);
    },
    leaveTenant: async (id: string, tenantId: string) => {
      calls.push(`leaveTenant ${id} ${tenantId}`);
    },
    dropIfUnclaimed: async (id: string) => {
      calls.push(`dropIfUnclaimed ${id}`);
    },
    invitationContext: async (inviterId: string) => ({
      tenantName: 'Acme',
      inviterName: `name of ${inviterId}`,
    }),
  };
  const invites = {
    insert: async (v: Record<string, unknown>) => {
      invitations.push(v);
    },
    renew: async (v: Record<string, unknown>) => {
      if (!renewable) return undefined;
      invitations.push(v);
      return { fullName: 'Typed Name', expiresAt: '2026-12-14T00:00:00.000Z' };
    },
  };
  const service = new UsersService(
    users as unknown as UsersRepository,
    invites as unknown as InvitationsRepository,
    {
      sendInvitation: (m: InvitationMail) => mails.push(m),
      inviteLink: (token: string) => `https://console.test/accept-invite?token=${token}`,
    } as unknown as MailService,
    { record: async (e: AuditEntry) => void audit.push(e) } as unknown as AuditService,
  );
  /** Runs `fn` as `userId`, whose role is the one of their membership. */
  const as = <T>(userId: string, fn: (s: UsersService) => Promise<T>): Promise<T> =>
    requestContext.run(
      {
        principal: {
          kind: 'user',
          userId,
          tenantId: TENANT,
          role: members.get(userId)?.role ?? 'viewer',
        },
      },
      () => fn(service),
    );
  return {
    members,
    calls,
    audit,
    mails,
    invitations,
    as,
    noRenewal: () => (renewable = false),
  };
}

const forbidden = (message: string) => new ForbiddenException(message);
const conflict = (message: string) => new ConflictException(message);
const notFound = new NotFoundException('member not found');

describe('UsersService: the member rules', () => {
  describe('invite', () => {
    it("invites with a role up to the inviter's own: an invited membership, a hashed link mailed once, one event", async () => {
      const w = workspace({ adm: { role: 'admin' } });
      const body = { email: 'new@example.com', fullName: 'New Person', role: 'admin' as Role };
      const m = await w.as('adm', (s) => s.invite(body));
      expect(m).toMatchObject({ id: 'new-1', role: 'admin', status: 'invited' });
      expect(w.invitations).toHaveLength(1);
      const [mail] = w.mails;
      expect(mail).toEqual({
        to: 'new@example.com',
        fullName: 'New Person',
        tenantName: 'Acme',
        inviterName: 'name of adm',
        role: 'admin',
        token: expect.any(String),
        expiresInDays: INVITE_TTL_DAYS,
      });
      expect(w.invitations[0]).toEqual({
        userId: 'new-1',
        fullName: 'New Person',
        invitedBy: 'adm',
        tokenHash: tokenHash(mail.token),
        validDays: INVITE_TTL_DAYS,
      });
      expect(w.audit).toEqual([
        {
          action: 'member.invited',
          resourceType: 'member',
          resourceId: 'new-1',
          changes: {
            email: [null, 'new@example.com'],
            fullName: [null, 'New Person'],
            role: [null, 'admin'],
          },
        },
      ]);
    });

    it("refuses a role above the inviter's (403), writing and mailing nothing", async () => {
      const w = workspace({ adm: { role: 'admin' } });
      const body = { email: 'boss@example.com', fullName: 'Boss', role: 'owner' as Role };
      await expect(w.as('adm', (s) => s.invite(body))).rejects.toEqual(
        forbidden('you cannot grant the owner role'),
      );
      expect([w.members.size, w.invitations.length, w.mails.length, w.audit.length]).toEqual([
        1, 0, 0, 0,
      ]);
    });

    it('refuses someone already a member or invited (409)', async () => {
      const w = workspace({ own: { role: 'owner' }, mem: { role: 'member' } });
      const body = { email: 'mem@example.com', fullName: 'Again', role: 'viewer' as Role };
      await expect(w.as('own', (s) => s.invite(body))).rejects.toEqual(
        conflict('this person is already a member or invited'),
      );
      expect([w.invitations.length, w.mails.length, w.audit.length]).toEqual([0, 0, 0]);
    });
  });

  describe('update', () => {
    it('only an owner changes an owner (403 for an admin)', async () => {
      const w = workspace({ o1: { role: 'owner' }, o2: { role: 'owner' }, adm: { role: 'admin' } });
      await expect(w.as('adm', (s) => s.update('o2', { role: 'member' }))).rejects.toEqual(
        forbidden('only an owner can change or remove an owner'),
      );
      expect(w.members.get('o2')?.role).toBe('owner');
      await w.as('o1', (s) => s.update('o2', { role: 'member' }));
      expect(w.members.get('o2')?.role).toBe('member');
    });

    it('an admin manages the roles below owner, and cannot grant owner (403)', async () => {
      const w = workspace({ adm: { role: 'admin' }, mem: { role: 'member' } });
      await w.as('adm', (s) => s.update('mem', { role: 'admin' }));
      expect(w.members.get('mem')?.role).toBe('admin');
      await expect(w.as('adm', (s) => s.update('mem', { role: 'owner' }))).rejects.toEqual(
        forbidden('you cannot grant the owner role'),
      );
      expect(w.members.get('mem')?.role).toBe('admin');
    });

    it('the last active owner cannot be demoted or disabled (409); with another owner they can', async () => {
      const w = workspace({ o1: { role: 'owner' }, o2: { role: 'owner', status: 'disabled' } });
      for (const body of [{ role: 'admin' as Role }, { status: 'disabled' as const }]) {
        await expect(w.as('o1', (s) => s.update('o1', body))).rejects.toEqual(
          conflict('the last owner cannot be removed, demoted or disabled'),
        );
      }
      expect(w.members.get('o1')).toMatchObject({ role: 'owner', status: 'active' });
      w.members.set('o3', { ...(w.members.get('o1') as Row) });
      await w.as('o1', (s) => s.update('o1', { role: 'admin' }));
      expect(w.members.get('o1')?.role).toBe('admin');
    });

    it('the last owner keeps their role and status when a change does not take them away', async () => {
      const w = workspace({ o1: { role: 'owner' } });
      await w.as('o1', (s) => s.update('o1', { role: 'owner' }));
      await w.as('o1', (s) => s.update('o1', { status: 'active' }));
      expect(w.members.get('o1')).toMatchObject({ role: 'owner', status: 'active' });
    });

    it('an invitation is activated or disabled only by its invitee (409); its role may change', async () => {
      const w = workspace({ own: { role: 'owner' }, inv: { role: 'member', status: 'invited' } });
      for (const status of ['active', 'disabled'] as const) {
        await expect(w.as('own', (s) => s.update('inv', { status }))).rejects.toEqual(
          conflict(
            'an invitation becomes active only when the invitee accepts it; revoke it to withdraw it',
          ),
        );
      }
      await w.as('own', (s) => s.update('inv', { role: 'viewer' }));
      expect(w.members.get('inv')).toMatchObject({ role: 'viewer', status: 'invited' });
    });

    it('never activates an account without a password (409); one with a password may be', async () => {
      const w = workspace({
        own: { role: 'owner' },
        ghost: { role: 'member', status: 'disabled', hasPassword: false },
        real: { role: 'member', status: 'disabled' },
      });
      await expect(w.as('own', (s) => s.update('ghost', { status: 'active' }))).rejects.toEqual(
        conflict(
          'an invitation becomes active only when the invitee accepts it; revoke it to withdraw it',
        ),
      );
      await w.as('own', (s) => s.update('ghost', { status: 'disabled' }));
      await w.as('own', (s) => s.update('real', { status: 'active' }));
      expect([w.members.get('ghost')?.status, w.members.get('real')?.status]).toEqual([
        'disabled',
        'active',
      ]);
    });

    it('records a role change as member.role_changed, a status change as member.updated, no change as nothing', async () => {
      const w = workspace({ own: { role: 'owner' }, mem: { role: 'member' } });
      await w.as('own', (s) => s.update('mem', { role: 'admin', status: 'active' }));
      await w.as('own', (s) => s.update('mem', { status: 'disabled' }));
      await w.as('own', (s) => s.update('mem', { status: 'disabled' }));
      expect(w.audit).toEqual([
        {
          action: 'member.role_changed',
          resourceType: 'member',
          resourceId: 'mem',
          changes: { role: ['member', 'admin'] },
        },
        {
          action: 'member.updated',
          resourceType: 'member',
          resourceId: 'mem',
          changes: { status: ['active', 'disabled'] },
        },
      ]);
      expect(w.calls).toContain('updateMember mem {"role":"admin","status":"active"}');
    });

    it('an unknown member is a 404', async () => {
      const w = workspace({ own: { role: 'owner' } });
      await expect(w.as('own', (s) => s.update('nobody', { role: 'viewer' }))).rejects.toEqual(
        notFound,
      );
      await expect(w.as('own', (s) => s.get('nobody'))).rejects.toEqual(notFound);
    });
  });

  describe('remove', () => {
    it('removes a member with their invitation and unclaimed account, one member.removed event', async () => {
      const w = workspace({ adm: { role: 'admin' }, mem: { role: 'member' } });
      await w.as('adm', (s) => s.remove('mem'));
      expect(w.calls).toEqual([
        'removeMember mem',
        `leaveTenant mem ${TENANT}`,
        'dropIfUnclaimed mem',
      ]);
      expect(w.audit).toEqual([
        {
          action: 'member.removed',
          resourceType: 'member',
          resourceId: 'mem',
          changes: { role: ['member', null], status: ['active', null] },
        },
      ]);
    });

    it('only an owner removes an owner (403), and never the last one (409)', async () => {
      const w = workspace({ o1: { role: 'owner' }, adm: { role: 'admin' } });
      await expect(w.as('adm', (s) => s.remove('o1'))).rejects.toEqual(
        forbidden('only an owner can change or remove an owner'),
      );
      await expect(w.as('o1', (s) => s.remove('o1'))).rejects.toEqual(
        conflict('the last owner cannot be removed, demoted or disabled'),
      );
      expect([w.members.has('o1'), w.calls.length, w.audit.length]).toEqual([true, 0, 0]);
      w.members.set('o2', { ...(w.members.get('o1') as Row) });
      await w.as('o2', (s) => s.remove('o1'));
      expect(w.members.has('o1')).toBe(false);
    });
  });

  describe('invitations', () => {
    it('resends a pending invitation: a new hashed link mailed with the name first typed, one event', async () => {
      const w = workspace({ adm: { role: 'admin' }, inv: { role: 'viewer', status: 'invited' } });
      const m = await w.as('adm', (s) => s.resendInvitation('inv'));
      expect(m).toMatchObject({ id: 'inv', status: 'invited' });
      const [mail] = w.mails;
      expect(mail).toMatchObject({
        to: 'inv@example.com',
        fullName: 'Typed Name',
        role: 'viewer',
        expiresInDays: INVITE_TTL_DAYS,
      });
      expect(w.invitations).toEqual([
        {
          userId: 'inv',
          invitedBy: 'adm',
          tokenHash: tokenHash(mail.token),
          validDays: INVITE_TTL_DAYS,
        },
      ]);
      expect(w.audit).toEqual([
        { action: 'member.invitation_resent', resourceType: 'member', resourceId: 'inv' },
      ]);
    });

    it('answers a new link to pass on instead of mailing it: only its hash stored, one event', async () => {
      const w = workspace({ adm: { role: 'admin' }, inv: { role: 'viewer', status: 'invited' } });
      const link = await w.as('adm', (s) => s.invitationLink('inv'));
      const token = link.url.replace('https://console.test/accept-invite?token=', '');
      expect(link).toEqual({
        url: expect.stringMatching(/token=.{43}$/),
        expiresAt: '2026-12-14T00:00:00.000Z',
      });
      expect(w.invitations).toEqual([
        {
          userId: 'inv',
          invitedBy: 'adm',
          tokenHash: tokenHash(token),
          validDays: INVITE_TTL_DAYS,
        },
      ]);
      expect(w.mails).toEqual([]);
      expect(w.audit).toEqual([
        { action: 'member.invitation_link_created', resourceType: 'member', resourceId: 'inv' },
      ]);
      await expect(w.as('adm', (s) => s.invitationLink('adm'))).rejects.toEqual(
        conflict('this member is not invited: the invitation was accepted'),
      );
    });

    it("resending an accepted invitation is a 409, one gone meanwhile a 404, an owner's by an admin a 403", async () => {
      const w = workspace({
        adm: { role: 'admin' },
        mem: { role: 'member' },
        inv: { role: 'viewer', status: 'invited' },
        boss: { role: 'owner', status: 'invited' },
      });
      await expect(w.as('adm', (s) => s.resendInvitation('mem'))).rejects.toEqual(
        conflict('this member is not invited: the invitation was accepted'),
      );
      await expect(w.as('adm', (s) => s.resendInvitation('boss'))).rejects.toEqual(
        forbidden('only an owner can change or remove an owner'),
      );
      w.noRenewal();
      await expect(w.as('adm', (s) => s.resendInvitation('inv'))).rejects.toEqual(notFound);
      expect([w.mails.length, w.audit.length]).toEqual([0, 0]);
    });

    it('revokes a pending invitation only: the membership goes, one event; an accepted one stays (409)', async () => {
      const w = workspace({
        adm: { role: 'admin' },
        mem: { role: 'member' },
        inv: { role: 'viewer', status: 'invited' },
      });
      await expect(w.as('adm', (s) => s.revokeInvitation('mem'))).rejects.toEqual(
        conflict('this member is not invited: the invitation was accepted'),
      );
      expect(w.members.has('mem')).toBe(true);
      await w.as('adm', (s) => s.revokeInvitation('inv'));
      expect(w.members.has('inv')).toBe(false);
      expect(w.audit).toEqual([
        {
          action: 'member.invitation_revoked',
          resourceType: 'member',
          resourceId: 'inv',
          changes: { role: ['viewer', null], status: ['invited', null] },
        },
      ]);
    });
  });

  it('lists through the repository, with the limit and cursor given', async () => {
    const w = workspace({ own: { role: 'owner' }, mem: { role: 'member' } });
    expect(await w.as('own', (s) => s.list(1, 'c1'))).toEqual({ data: ['own'], nextCursor: 'c1' });
  });

  it('an API key never manages members (403), before anything is read', async () => {
    const asKey = <T>(fn: () => Promise<T>) =>
      requestContext.run(
        { principal: { kind: 'apiKey', apiKeyId: 'k1', tenantId: TENANT, role: 'admin' } },
        fn,
      );
    // no repositories at all: a rule that read one first would fail with a TypeError
    const s = new UsersService({} as never, {} as never, {} as never, {} as never);
    const body = { email: 'x@example.com', fullName: 'X', role: 'viewer' as Role };
    for (const act of <Array<() => Promise<unknown>>>[
      () => s.invite(body),
      () => s.update('mem', { role: 'viewer' }),
      () => s.remove('mem'),
    ])
      await expect(asKey(act)).rejects.toEqual(
        new ForbiddenException('this action needs a person, not an API key'),
      );
  });
});
