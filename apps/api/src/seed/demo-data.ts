import { randomUUID } from 'node:crypto';
import type { AgentEntity } from '../agents/agent.entity';
import type { CallEntity } from '../calls/call.entity';
import type { LeadEntity } from '../leads/lead.entity';

export interface DemoSize {
  agents: number;
  leads: number;
  calls: number;
  /** calls are spread over this many past days */
  days: number;
}

export interface DemoData {
  agents: Array<Partial<AgentEntity>>;
  leads: Array<Partial<LeadEntity>>;
  calls: Array<Partial<CallEntity>>;
}

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Diego',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Isla',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
];
const LAST = [
  'Smith',
  'Garcia',
  'Chen',
  'Müller',
  'Okafor',
  'Rossi',
  'Dubois',
  'Kowalski',
  'Silva',
  'Nakamura',
  'Haddad',
  'Novak',
  'Jensen',
  'Patel',
  'Moreau',
];
const COMPANY = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
  'Vandelay',
  'Soylent',
  'Cyberdyne',
  null,
  null,
];
const AGENT_NAMES = [
  'Ava (appointments)',
  'Max (renewals)',
  'Lena (support)',
  'Omar (surveys)',
  'Zoe (collections)',
];
const DISPOSITIONS = [
  'interested',
  'callback',
  'not_interested',
  'appointment_set',
  'wrong_number',
  'sold',
];
const CALL_STATUSES = [
  'completed',
  'completed',
  'completed',
  'no_answer',
  'voicemail',
  'busy',
  'failed',
  'completed',
] as const;
const LEAD_STATUSES = [
  'new',
  'new',
  'contacted',
  'qualified',
  'converted',
  'lost',
  'do_not_call',
] as const;
const TAGS = [['vip', 'renewal'], ['spring-campaign'], ['enterprise', 'vip'], ['smb', 'web']];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London'];
const REPLIES = [
  'Sounds good, call me next week.',
  'Yes, let us book a demo.',
  'No thanks, we are happy as we are.',
  'Can you email me a quote?',
];
const SUMMARIES = [
  'asked for a follow-up call next week.',
  'booked a demo.',
  'was not interested.',
  'wants a quote by email.',
];

/**
 * US area codes in service. Demo leads get the fictional 555-0100..0199 line of one of them
 * (+1 212 555 0142): numbers libphonenumber, hence the contracts' Phone rule, takes as valid, so
 * a seeded lead can be edited and saved, and that no real person answers. 100 numbers per code.
 */
export const DEMO_AREA_CODES = [
  201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225,
  228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281,
  301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
  323, 325, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407,
  408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 432, 434, 435, 440, 443, 469, 470,
  478, 479, 480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518,
  520, 530, 540, 541, 559, 561, 562, 563, 570, 571, 573, 574, 580, 585, 586, 601, 602, 603, 605,
  606, 607, 608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641,
  646, 650, 651, 660, 661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715,
  716, 717, 718, 719, 720, 724, 727, 731, 732, 734, 740, 754, 757, 760, 763, 765, 770, 772, 773,
  774, 775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817,
  818, 828, 830, 831, 832, 843, 845, 847, 850, 856, 858, 859, 860, 862, 863, 864, 865, 870, 901,
  903, 904, 906, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931,
  936, 937, 940, 941, 949, 951, 952, 954, 956, 970, 971, 972, 973, 978, 979, 985, 989,
];

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

/**
 * Believable data for one tenant, the same for the same seed: agents, leads
 * with valid (fictional 555-01xx) E.164 numbers, and calls over the past
 * days with transcripts, already as the API would have left them (a lead
 * exists before its first call; a completed call makes a new lead contacted).
 */
export function demoData(size: DemoSize, seed: number, now = Date.now()): DemoData {
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const agents = Array.from({ length: size.agents }, (_, i) => {
    const g = i + 1;
    return {
      id: randomUUID(),
      name: pick(AGENT_NAMES, g - 1) + (g > 5 ? ` ${g}` : ''),
      status: g % 7 === 0 ? ('paused' as const) : ('active' as const),
      direction: pick(['outbound', 'inbound', 'both'] as const, g),
      language: pick(['en-US', 'en-GB', 'es-ES', 'de-DE'], g),
      voice: pick(['alloy', 'nova', 'shimmer', 'echo'], g),
      llmProvider: 'openai',
      llmModel: 'gpt-4o-mini',
      systemPrompt:
        "You are a friendly, concise assistant for a call center. Confirm the caller's details, " +
        'answer their questions, and book a follow-up when they are interested.',
      firstMessage:
        'Hi, this is an AI assistant calling on behalf of our team. Is now a good time?',
      dispositionCodes: DISPOSITIONS,
      createdAt: ago((size.days + 5 - g) * 86_400_000),
    };
  });
  const phones = new Set<string>();
  const leads: Array<Partial<LeadEntity> & { id: string; phone: string; createdAt: string }> = [];
  for (let g = 1; g <= size.leads; g++) {
    const k = (seed * 7919 + g * 104729) % (100 * DEMO_AREA_CODES.length);
    const phone = `+1${DEMO_AREA_CODES[Math.floor(k / 100)]}55501${String(k % 100).padStart(2, '0')}`;
    if (phones.has(phone)) continue;
    phones.add(phone);
    const [f, l] = [pick(FIRST, g * 7), pick(LAST, g * 11)];
    leads.push({
      id: randomUUID(),
      firstName: f,
      lastName: l,
      phone,
      email: `${f}.${l.replace('ü', 'u')}${g}@example.com`.toLowerCase(),
      company: pick(COMPANY, g),
      status: pick(LEAD_STATUSES, g),
      source: pick(['web form', 'referral', 'trade show', 'import', 'partner'], g),
      assignedAgentId: agents.length ? pick(agents, g).id : null,
      tags: pick(TAGS, g),
      timezone: pick(ZONES, g),
      createdAt: ago(Math.floor((size.days * 1440 * g) / size.leads) * 60_000),
    });
  }
  const calls = Array.from({ length: leads.length && agents.length ? size.calls : 0 }, (_, i) =>
    demoCall(i + 1, { size, seed, agents, leads, ago }),
  );
  settleLeads(leads, calls);
  return { agents, leads, calls };
}

function demoCall(
  g: number,
  w: {
    size: DemoSize;
    seed: number;
    agents: Array<{ id: string }>;
    leads: Array<{ id: string; phone: string }>;
    ago: (ms: number) => string;
  },
): Partial<CallEntity> {
  const at = w.ago((w.size.days * 86_400_000 * g) / w.size.calls);
  const later = (s: number) => new Date(Date.parse(at) + s * 1000).toISOString();
  const status = pick(CALL_STATUSES, g);
  const done = status === 'completed';
  const lead = pick(w.leads, g * 31);
  const inbound = g % 5 === 0;
  return {
    agentId: pick(w.agents, g).id,
    leadId: lead.id,
    direction: inbound ? 'inbound' : 'outbound',
    status,
    fromNumber: inbound ? lead.phone : '+14155550100',
    toNumber: inbound ? '+14155550100' : lead.phone,
    startedAt: at,
    answeredAt: done ? later(6) : null,
    endedAt: later(done ? 30 + ((g * 37) % 420) : 25),
    endReason: done ? 'hangup' : status,
    outcome: done ? pick(DISPOSITIONS, g) : null,
    sentiment: done ? pick(['positive', 'neutral', 'negative'] as const, g) : null,
    summary: done ? `The lead discussed their current plan and ${pick(SUMMARIES, g)}` : null,
    transcript: done
      ? [
          {
            role: 'agent',
            text: 'Hi, this is the AI assistant from the team. Is now a good time?',
            startMs: 0,
          },
          { role: 'lead', text: 'Sure, what is it about?', startMs: 4200 },
          {
            role: 'agent',
            text: 'We noticed your plan renews soon and wanted to walk you through the options.',
            startMs: 7100,
          },
          { role: 'lead', text: pick(REPLIES, g), startMs: 15800 },
          {
            role: 'agent',
            text: 'Perfect, I have noted that. Thank you for your time!',
            startMs: 21000,
          },
        ]
      : [],
    recordingUrl: done ? `https://recordings.example.com/${g}.mp3` : null,
    cost:
      done || status === 'voicemail'
        ? Math.round((0.02 + ((g * 13) % 90) / 100) * 10_000) / 10_000
        : null,
    provider: 'demo',
    providerCallId: `seed-${w.seed}-${g}`,
    createdAt: at,
  };
}

/** What the API would have done with these calls: contacted after a completed call, added before the first. */
function settleLeads(
  leads: Array<Partial<LeadEntity> & { id: string; createdAt: string }>,
  calls: Array<Partial<CallEntity>>,
): void {
  const byLead = new Map<string, { first: string; last: string | null }>();
  for (const c of calls) {
    const s = byLead.get(c.leadId as string) ?? { first: c.startedAt as string, last: null };
    if ((c.startedAt as string) < s.first) s.first = c.startedAt as string;
    if (c.status === 'completed' && (!s.last || (c.endedAt as string) > s.last))
      s.last = c.endedAt as string;
    byLead.set(c.leadId as string, s);
  }
  for (const l of leads) {
    const s = byLead.get(l.id);
    if (!s) continue;
    l.lastContactedAt = s.last;
    if (s.last && l.status === 'new') l.status = 'contacted';
    const beforeFirst = new Date(Date.parse(s.first) - 3_600_000).toISOString();
    if (beforeFirst < l.createdAt) l.createdAt = beforeFirst;
  }
}
