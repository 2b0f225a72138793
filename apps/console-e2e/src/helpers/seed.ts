import type { Api } from './api';

/**
 * Something in every list of a fresh tenant (an agent, a lead with a call, an invited member, an
 * API key, a do-not-call number, a running campaign, a webhook endpoint), with long names, as the
 * screen tests need.
 */
export async function seedEveryList(api: Api) {
  const agent = await api.createAgent('Ava appointment reminders (east coast)');
  const lead = await api.createLead({
    firstName: 'Margaret',
    lastName: 'Hamilton-Whitfield',
    phone: '+1 415 555 0177',
    email: 'margaret.hamiltonwhitfield@analytical-engines.example.com',
    company: 'Lovelace Analytical Engines',
    assignedAgentId: agent.id,
    tags: ['vip', 'spring_promo_2026', 'west_coast'],
  });
  const started = new Date(Date.now() - 3 * 86_400_000);
  const call = await api.createCall({
    agentId: agent.id,
    leadId: lead.id,
    direction: 'outbound',
    status: 'completed',
    fromNumber: '+14155550000',
    toNumber: lead.phone,
    startedAt: started.toISOString(),
    answeredAt: new Date(started.getTime() + 3_000).toISOString(),
    endedAt: new Date(started.getTime() + 95_000).toISOString(),
    outcome: 'appointment_booked',
    summary: 'Confirmed Tuesday at 10am.',
    cost: 0.42,
  });
  await api.addMember(
    'maximilian.longname-invitee@e2e.example.com',
    'Maximilian Longname',
    'member',
  );
  await api.post('/api/v1/api-keys', {
    name: 'CRM sync for the west coast office',
    role: 'member',
  });
  await api.post('/api/v1/dnc', {
    phone: '+1 415 555 0190',
    reason: 'asked not to be called again, on the phone',
  });
  const campaign = await api.post<{ id: string }>('/api/v1/campaigns', {
    name: 'Spring reminders for the west coast office',
    agentId: agent.id,
    leads: { tags: ['vip'] },
    schedule: {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      window: { start: '09:00', end: '18:00' },
      timezone: 'UTC',
      // tomorrow: the engine calls no lead while the suite runs (inside the window it would add
      // a second call to the lead's history)
      startAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  await api.post(`/api/v1/campaigns/${campaign.id}/start`, {}, 200);
  await api.post('/api/v1/webhooks', {
    url: 'https://crm.example.com/hooks/acc/a-rather-long-path-for-the-receiver',
    events: ['lead.created', 'lead.updated', 'call.ended'],
    description: 'CRM sync',
  });
  return { agent, lead, call, campaign };
}
