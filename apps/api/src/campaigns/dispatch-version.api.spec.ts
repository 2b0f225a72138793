import { AuditEventPage, Call, UpdatedDialer } from '@acc/contracts';
import { Account, signup } from '../testing/accounts';
import { Client, bodyOf, client } from '../testing/http';
import { JobsService } from '../jobs/jobs.service';
import { TestApp, startTestApp } from '../testing/test-app';
import { TestDatabase, createTestDatabase } from '../testing/test-database';
import { FAST_WEBHOOKS, Receiver, startReceiver } from '../testing/webhook-receiver';

/**
 * A call queued while its agent was at one version and dispatched after the
 * agent changed runs with the agent as it is at dispatch: the bridge gets
 * the new configuration, and the call records the version that ran (issue
 * 16, "calls record the agent version they ran with"). The API serves
 * requests without a worker, so the dispatch job waits until the test
 * starts one.
 */
describe('a call dispatched after its agent changed (real HTTP, a local bridge)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let c: Client;
  let bridge: Receiver;
  let a: Account;

  beforeAll(async () => {
    db = await createTestDatabase();
    bridge = await startReceiver();
    t = await startTestApp(db, { ...FAST_WEBHOOKS, WORKER_IN_API: 'false' });
    c = client(t.url);
    a = await signup(c, 'Versions');
  });

  afterAll(async () => {
    await t?.close();
    await bridge?.close();
    await db?.drop();
  });

  it('sends and records the version current at dispatch, not the one of the queued call', async () => {
    const dialer = UpdatedDialer.parse(
      bodyOf(
        await c.put(
          '/api/v1/tenant/dialer',
          { type: 'webhook', url: bridge.url('/dial'), callerId: '+14155550100' },
          a.token,
        ),
        200,
      ),
    );
    bridge.expect('/dial', dialer.signingSecret as string);
    bridge.answerWith((_r, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ callId: 'br-v2' }));
    });
    const agent = bodyOf(
      await c.post('/api/v1/agents', { name: 'Vera', systemPrompt: 'Version one.' }, a.token),
      201,
    );
    expect(agent.version).toBe(1);
    const leadId = bodyOf(
      await c.post('/api/v1/leads', { phone: '+14155550601' }, a.token),
      201,
    ).id;
    const queued = Call.parse(
      bodyOf(
        await c.post(
          `/api/v1/leads/${leadId}/call`,
          { agentId: agent.id, overrideWindow: true },
          a.token,
        ),
        202,
      ),
    );
    expect(queued).toMatchObject({ status: 'queued', agentVersion: 1, providerCallId: null });

    const changed = bodyOf(
      await c.patch(`/api/v1/agents/${agent.id}`, { systemPrompt: 'Version two.' }, a.token),
      200,
    );
    expect(changed.version).toBe(2);
    // nothing was sent while no worker ran
    expect(bridge.received.filter((r) => r.path === '/dial')).toHaveLength(0);

    await t.app.get(JobsService).start();
    const [req] = await bridge.waitFor((r) => r.path === '/dial');
    expect(req.verified).toMatchObject({
      type: 'call.dispatch',
      data: {
        call: { id: queued.id },
        agent: { id: agent.id, version: 2, systemPrompt: 'Version two.' },
      },
    });

    const deadline = Date.now() + 30_000;
    let call = Call.parse(bodyOf(await c.get(`/api/v1/calls/${queued.id}`, a.token), 200));
    while (call.providerCallId !== 'br-v2' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      call = Call.parse(bodyOf(await c.get(`/api/v1/calls/${queued.id}`, a.token), 200));
    }
    expect(call).toMatchObject({ provider: 'bridge', providerCallId: 'br-v2', agentVersion: 2 });

    // the engine's event says which version replaced which
    const events = AuditEventPage.parse(
      bodyOf(
        await c.get(
          `/api/v1/audit-events?resourceType=call&resourceId=${queued.id}&action=call.updated`,
          a.token,
        ),
        200,
      ),
    );
    expect(events.data).toHaveLength(1);
    expect(events.data[0]).toMatchObject({
      actor: { type: 'system', id: 'campaign_engine' },
      changes: { agentVersion: [1, 2], providerCallId: [null, 'br-v2'] },
    });
  });
});
