import { AGENT_DEFAULTS, type Agent } from '@acc/contracts';
import {
  retellAgentBody,
  retellConfigHash,
  retellLlmBody,
  vapiCallRequest,
  voiceOf,
} from './provider-dialers';

const agent = (over: Partial<Agent> = {}): Agent => ({
  ...AGENT_DEFAULTS,
  transferDestinations: [],
  dispositionCodes: [],
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Ava',
  vapiAssistantId: null,
  retellAgentId: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});
const call = { id: 'c1', toNumber: '+14155550100', fromNumber: '+14155550000' };

describe('what the provider dialers send', () => {
  it('a voice is an OpenAI name or <provider>-<id>, for both providers', () => {
    expect(voiceOf('alloy')).toEqual({ provider: 'openai', id: 'alloy' });
    expect(voiceOf('11labs-Adrian')).toEqual({ provider: '11labs', id: 'Adrian' });
    const vapi = (v: string) =>
      (
        vapiCallRequest(call, agent({ voice: v }), null, {
          phoneNumberId: 'pn',
          recordingEnabled: true,
        }).body['assistant'] as { voice: unknown }
      ).voice;
    expect(vapi('nova')).toEqual({ provider: 'openai', voiceId: 'nova' });
    expect(vapi('11labs-Adrian')).toEqual({ provider: '11labs', voiceId: 'Adrian' });
    expect(retellAgentBody(agent({ voice: 'nova' }), 'l', true)['voice_id']).toBe('openai-Nova');
    expect(retellAgentBody(agent({ voice: '11labs-Adrian' }), 'l', true)['voice_id']).toBe(
      '11labs-Adrian',
    );
  });

  it("Vapi gets the agent's transfer destinations as a transferCall tool, and none when there are none", () => {
    const model = (a: Agent) =>
      (
        vapiCallRequest(call, a, null, { phoneNumberId: 'pn', recordingEnabled: false }).body[
          'assistant'
        ] as { model: Record<string, unknown> }
      ).model;
    expect(model(agent())['tools']).toBeUndefined();
    expect(
      model(agent({ transferDestinations: [{ label: 'Sales', phone: '+14155550111' }] }))['tools'],
    ).toEqual([
      {
        type: 'transferCall',
        destinations: [{ type: 'number', number: '+14155550111', description: 'Sales' }],
      },
    ]);
  });

  it("Retell's limits are brought into its range; an empty first message lets the model open", () => {
    expect(retellAgentBody(agent({ maxCallSeconds: 10 }), 'l', true)['max_call_duration_ms']).toBe(
      60_000,
    );
    expect(
      retellAgentBody(agent({ maxCallSeconds: 14_400 }), 'l', true)['max_call_duration_ms'],
    ).toBe(7_200_000);
    expect(
      retellAgentBody(agent({ silenceTimeoutSeconds: 30 }), 'l', true)['end_call_after_silence_ms'],
    ).toBe(30_000);
    expect(retellAgentBody(agent(), 'l', true)['voicemail_option']).toEqual({
      action: { type: 'hangup' },
    });
    expect(retellLlmBody(agent({ firstMessage: '  ' }))['begin_message']).toBeNull();
    expect(retellLlmBody(agent({ temperature: 0.3 }))['model_temperature']).toBe(0.3);
  });

  it('recording off in Settings: Retell keeps no recording or transcript, and the agent is written again', () => {
    expect(retellAgentBody(agent(), 'l', false)['data_storage_setting']).toBe(
      'basic_attributes_only',
    );
    expect(retellAgentBody(agent(), 'l', true)['data_storage_setting']).toBe('everything');
    expect(retellConfigHash(agent(), false)).not.toBe(retellConfigHash(agent(), true));
  });

  it('the sync hash moves with every field Retell holds, and only with those', () => {
    const base = retellConfigHash(agent(), true);
    expect(retellConfigHash(agent(), true)).toBe(base);
    expect(retellConfigHash(agent({ dispositionCodes: ['won'] }), true)).toBe(base);
    for (const over of [
      { systemPrompt: 'x' },
      { firstMessage: 'Hi' },
      { llmModel: 'gpt-4.1' },
      { temperature: 0.2 },
      { voice: 'nova' },
      { language: 'es-ES' },
      { maxCallSeconds: 120 },
      { silenceTimeoutSeconds: 20 },
      { name: 'Bea' },
      { transferDestinations: [{ label: 'Desk', phone: '+14155550111' }] },
      { voicemailBehavior: 'leave_message' as const, voicemailMessage: 'Call back' },
    ])
      expect({ over, changed: retellConfigHash(agent(over), true) !== base }).toEqual({
        over,
        changed: true,
      });
  });
});
