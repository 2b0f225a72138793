// In-memory stand-in for the API, for developing and screenshotting the console before the real
// API is ready. It follows docs in shared/API.md loosely; the real e2e suite runs against the
// real API. Usage: node apps/console-e2e/mock-api/server.mjs [port] (serves dist/apps/console).
import { createServer } from 'node:http';
import { randomUUID, randomBytes } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, resolve } from 'node:path';

const PORT = Number(process.argv[2] ?? process.env.PORT ?? 8080);
const ROOT = resolve(process.env.CONSOLE_DIST ?? 'dist/apps/console/browser');
const now = () => new Date().toISOString();
const db = {
  tenants: [],
  users: [],
  members: [],
  agents: [],
  leads: [],
  calls: [],
  configs: {},
  tokens: {},
  resets: {},
  mail: [],
};

function tenant(name) {
  const t = {
    id: randomUUID(),
    name,
    slug: name.toLowerCase().replace(/\W+/g, '-'),
    domain: null,
    status: 'active',
    plan: 'pro',
    createdAt: now(),
  };
  db.tenants.push(t);
  db.configs[t.id] = {
    timezone: 'UTC',
    callingWindowStart: '09:00',
    callingWindowEnd: '18:00',
    callingDays: [1, 2, 3, 4, 5],
    defaultAgentId: null,
    maxConcurrentCalls: 5,
    recordingEnabled: true,
    webhookUrl: null,
    settings: {},
    updatedAt: now(),
  };
  return t;
}
function user(email, fullName, password) {
  const u = { id: randomUUID(), email, fullName, password, createdAt: now() };
  db.users.push(u);
  return u;
}
function member(t, u, role, status = 'active') {
  db.members.push({ tenantId: t.id, userId: u.id, role, status, joinedAt: now() });
}
const AGENT_DEFAULTS = {
  status: 'active',
  direction: 'outbound',
  language: 'en-US',
  voice: 'alloy',
  llmProvider: 'openai',
  llmModel: 'gpt-4o-mini',
  temperature: 0.7,
  systemPrompt: '',
  firstMessage: '',
  maxCallSeconds: 600,
  silenceTimeoutSeconds: 10,
  voicemailBehavior: 'hang_up',
  voicemailMessage: null,
  transferDestinations: [],
  dispositionCodes: [],
};
function agent(t, fields) {
  const a = {
    ...AGENT_DEFAULTS,
    ...fields,
    id: randomUUID(),
    tenantId: t.id,
    createdAt: now(),
    updatedAt: now(),
  };
  db.agents.push(a);
  return a;
}
function lead(t, fields) {
  const l = {
    firstName: null,
    lastName: null,
    email: null,
    company: null,
    status: 'new',
    source: null,
    assignedAgentId: null,
    tags: [],
    timezone: null,
    nextCallAt: null,
    lastContactedAt: null,
    customFields: {},
    ...fields,
    id: randomUUID(),
    tenantId: t.id,
    createdAt: now(),
    updatedAt: now(),
  };
  db.leads.push(l);
  return l;
}
function seed() {
  const acme = tenant('Acme Dental');
  const beta = tenant('Beta Insurance');
  const demo = user('demo@example.com', 'Dana Demo', 'demo-password-123');
  const ada = user('ada@example.com', 'Ada Admin', 'ada-password-123');
  member(acme, demo, 'owner');
  member(beta, demo, 'viewer');
  member(acme, ada, 'admin');
  member(beta, ada, 'owner');
  const ava = agent(acme, {
    name: 'Ava – appointment reminders',
    systemPrompt: 'You remind patients of their appointments.',
    firstMessage: 'Hi, this is Ava from Acme Dental!',
  });
  const max = agent(acme, {
    name: 'Max – inbound reception',
    direction: 'inbound',
    status: 'paused',
  });
  agent(beta, { name: 'Beta renewal caller' });
  const outcomes = ['appointment_booked', 'not_interested', 'call_back', 'voicemail_left'];
  const statuses = [
    'completed',
    'completed',
    'completed',
    'no_answer',
    'voicemail',
    'failed',
    'busy',
  ];
  for (let i = 0; i < 60; i++) {
    const l = lead(acme, {
      firstName: ['Ann', 'Bob', 'Cleo', 'Dev', 'Eve', 'Finn'][i % 6],
      lastName: `Smith${i}`,
      phone: `+1415555${String(1000 + i).slice(-4)}`,
      email: `lead${i}@example.com`,
      company: i % 3 ? 'Initech' : null,
      status: ['new', 'contacted', 'qualified', 'converted', 'lost'][i % 5],
      tags: i % 4 ? ['spring'] : ['vip', 'spring'],
      assignedAgentId: i % 2 ? ava.id : max.id,
    });
    const days = i % 14;
    const started = new Date(Date.now() - days * 864e5 - (i % 7) * 3600e3);
    const status = statuses[i % statuses.length];
    const connected = status === 'completed';
    db.calls.push({
      id: randomUUID(),
      tenantId: acme.id,
      agentId: i % 2 ? ava.id : max.id,
      leadId: l.id,
      direction: i % 5 ? 'outbound' : 'inbound',
      status,
      fromNumber: '+14155550000',
      toNumber: l.phone,
      startedAt: started.toISOString(),
      answeredAt: connected ? started.toISOString() : null,
      endedAt: new Date(started.getTime() + 95e3).toISOString(),
      durationSeconds: connected ? 60 + ((i * 7) % 300) : 0,
      endReason: connected ? 'hangup' : status,
      outcome: connected ? outcomes[i % 4] : null,
      sentiment: connected ? ['positive', 'neutral', 'negative'][i % 3] : null,
      summary: connected
        ? `${l.firstName} confirmed interest and asked for a follow-up next week.`
        : null,
      transcript: connected
        ? [
            { role: 'system', text: 'Call connected', startMs: 0 },
            {
              role: 'agent',
              text: 'Hi, this is Ava from Acme Dental. Is now a good time?',
              startMs: 800,
            },
            { role: 'lead', text: 'Sure, what is this about?', startMs: 4200 },
            {
              role: 'agent',
              text: 'You have a cleaning on Tuesday at 10am. Does that still work?',
              startMs: 6100,
            },
            { role: 'lead', text: 'Yes, see you then.', startMs: 9900 },
          ]
        : [],
      recordingUrl: connected ? 'https://example.com/recordings/demo.mp3' : null,
      cost: connected ? 0.12 + (i % 5) * 0.03 : 0.01,
      provider: 'twilio',
      providerCallId: `CA${i}`,
      createdAt: started.toISOString(),
      updatedAt: started.toISOString(),
    });
  }
  lead(beta, { firstName: 'Bianca', lastName: 'Beta', phone: '+14155559999' });
}
seed();

const err = (res, statusCode, message) =>
  send(res, statusCode, {
    statusCode,
    error:
      {
        400: 'Bad Request',
        401: 'Unauthorized',
        403: 'Forbidden',
        404: 'Not Found',
        409: 'Conflict',
      }[statusCode] ?? 'Error',
    message,
  });
function send(res, status, body, headers = {}) {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    return res.end();
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(text);
}
const ROLES = ['viewer', 'member', 'admin', 'owner'];
const atLeast = (r, need) => ROLES.indexOf(r) >= ROLES.indexOf(need);
function issue(u, t) {
  const token = randomBytes(24).toString('hex');
  const m = db.members.find((x) => x.userId === u.id && x.tenantId === t.id);
  db.tokens[token] = { userId: u.id, tenantId: t.id, issuedAt: Date.now() };
  return {
    token,
    expiresAt: new Date(Date.now() + 864e5).toISOString(),
    user: pub(u),
    tenant: t,
    role: m.role,
  };
}
const pub = (u) => ({ id: u.id, email: u.email, fullName: u.fullName, createdAt: u.createdAt });
const strip = ({ tenantId: _tenantId, ...rest }) => rest;
function page(rows, q) {
  const limit = Math.min(200, Number(q.get('limit') ?? 50));
  const start = Number(q.get('cursor') ?? 0);
  const data = rows.slice(start, start + limit).map(strip);
  return { data, nextCursor: start + limit < rows.length ? String(start + limit) : null };
}
const byNewest = (a, b) => (a.createdAt < b.createdAt ? 1 : -1);
const validPhone = (p) => {
  const d = String(p ?? '').replace(/[^\d+]/g, '');
  if (!/^\+?\d{10,15}$/.test(d)) return null;
  return d.startsWith('+') ? d : '+1' + d.slice(-10);
};
function mail(to, subject, link) {
  db.mail.push({ to, subject, text: `Open ${link}`, link, at: now() });
  console.log(`[mail] ${to}: ${link}`);
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const raw = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return raw ? JSON.parse(raw) : {};
  if (type.includes('multipart/form-data')) {
    const m = raw.match(/\r\n\r\n([\s\S]*?)\r\n--/);
    return m ? m[1] : '';
  }
  return raw;
}

async function api(req, res, url) {
  const p = url.pathname.replace(/^\/api\/v1/, '');
  const q = url.searchParams;
  const m = req.method;
  const b = ['POST', 'PUT', 'PATCH'].includes(m) ? await body(req) : null;
  if (m === 'POST' && p === '/auth/signup') {
    if (!b.tenantName || !b.fullName || !b.email || !(b.password?.length >= 8))
      return err(res, 400, ['invalid signup']);
    if (db.users.some((u) => u.email === b.email.toLowerCase()))
      return err(res, 409, 'An account with this email already exists');
    const t = tenant(b.tenantName);
    const u = user(b.email.toLowerCase(), b.fullName, b.password);
    member(t, u, 'owner');
    return send(res, 201, issue(u, t));
  }
  if (m === 'POST' && p === '/auth/login') {
    const u = db.users.find(
      (x) => x.email === String(b.email).toLowerCase() && x.password === b.password,
    );
    const ms = u ? db.members.filter((x) => x.userId === u.id && x.status === 'active') : [];
    if (!u || !ms.length) return err(res, 401, 'Invalid email or password');
    const t = db.tenants.find((x) => x.id === (b.tenantId ?? ms[0].tenantId));
    return send(res, 200, issue(u, t));
  }
  if (m === 'POST' && p === '/auth/forgot-password') {
    const u = db.users.find((x) => x.email === String(b.email).toLowerCase());
    if (u) {
      const token = randomBytes(24).toString('hex');
      db.resets[token] = u.id;
      mail(u.email, 'Reset your password', `${url.origin}/reset-password?token=${token}`);
    }
    return send(res, 202, undefined);
  }
  if (m === 'POST' && p === '/auth/reset-password') {
    const uid = db.resets[b.token];
    if (!uid) return err(res, 400, 'This link is invalid or has expired');
    if (!(b.password?.length >= 8))
      return err(res, 400, ['password must be at least 8 characters']);
    delete db.resets[b.token];
    const u = db.users.find((x) => x.id === uid);
    u.password = b.password;
    db.members
      .filter((x) => x.userId === uid && x.status === 'invited')
      .forEach((x) => (x.status = 'active'));
    for (const [k, v] of Object.entries(db.tokens)) if (v.userId === uid) delete db.tokens[k];
    return send(res, 204);
  }
  const auth = db.tokens[(req.headers.authorization ?? '').replace(/^Bearer /, '')];
  if (!auth) return err(res, 401, 'Unauthorized');
  const me = db.users.find((u) => u.id === auth.userId);
  const mem = db.members.find(
    (x) => x.userId === me.id && x.tenantId === auth.tenantId && x.status === 'active',
  );
  if (!mem) return err(res, 401, 'Unauthorized');
  const role = mem.role;
  const tid = auth.tenantId;
  const need = (r) => {
    if (!atLeast(role, r)) {
      err(res, 403, `Requires ${r} role`);
      return false;
    }
    return true;
  };
  const memberships = () =>
    db.members
      .filter((x) => x.userId === me.id && x.status === 'active')
      .map((x) => ({ tenant: db.tenants.find((t) => t.id === x.tenantId), role: x.role }));
  let mm;
  if (m === 'GET' && p === '/auth/me')
    return send(res, 200, { user: pub(me), tenantId: tid, role, memberships: memberships() });
  if (m === 'GET' && p === '/tenants')
    return send(res, 200, { data: memberships(), nextCursor: null });
  if (m === 'GET' && p === '/tenant')
    return send(
      res,
      200,
      db.tenants.find((t) => t.id === tid),
    );
  if (m === 'PATCH' && p === '/tenant') {
    if (!need('admin')) return;
    const t = db.tenants.find((x) => x.id === tid);
    Object.assign(t, b);
    return send(res, 200, t);
  }
  if (m === 'POST' && p === '/tenant/switch') {
    const x = db.members.find(
      (y) => y.userId === me.id && y.tenantId === b.tenantId && y.status === 'active',
    );
    if (!x) return err(res, 404, 'Tenant not found');
    const r = issue(
      me,
      db.tenants.find((t) => t.id === b.tenantId),
    );
    delete r.user;
    return send(res, 200, r);
  }
  if (m === 'GET' && p === '/tenant/config') return send(res, 200, db.configs[tid]);
  if (m === 'PUT' && p === '/tenant/config') {
    if (!need('admin')) return;
    db.configs[tid] = { ...b, updatedAt: now() };
    return send(res, 200, db.configs[tid]);
  }
  if (m === 'GET' && p === '/users') {
    if (!need('viewer')) return;
    return send(res, 200, {
      data: db.members
        .filter((x) => x.tenantId === tid)
        .map((x) => {
          const u = db.users.find((y) => y.id === x.userId);
          return {
            id: u.id,
            email: u.email,
            fullName: u.fullName,
            role: x.role,
            status: x.status,
            joinedAt: x.joinedAt,
          };
        }),
      nextCursor: null,
    });
  }
  if (m === 'POST' && p === '/users') {
    if (!need('admin')) return;
    let u = db.users.find((x) => x.email === String(b.email).toLowerCase());
    if (u && db.members.some((x) => x.userId === u.id && x.tenantId === tid))
      return err(res, 409, 'Already a member');
    let status = 'active';
    if (!u) {
      u = user(String(b.email).toLowerCase(), b.fullName, randomBytes(8).toString('hex'));
      status = 'invited';
      const token = randomBytes(24).toString('hex');
      db.resets[token] = u.id;
      mail(u.email, 'You are invited', `${url.origin}/accept-invite?token=${token}`);
    }
    member({ id: tid }, u, b.role, status);
    return send(res, 201, {
      id: u.id,
      email: u.email,
      fullName: u.fullName,
      role: b.role,
      status,
      joinedAt: now(),
    });
  }
  if ((mm = p.match(/^\/users\/([\w-]+)$/))) {
    if (!need('admin')) return;
    const x = db.members.find((y) => y.userId === mm[1] && y.tenantId === tid);
    if (!x) return err(res, 404, 'Not found');
    if (x.role === 'owner' && role !== 'owner')
      return err(res, 403, 'Only an owner can change an owner');
    const u = db.users.find((y) => y.id === x.userId);
    if (m === 'PATCH') {
      Object.assign(x, b);
      return send(res, 200, {
        id: u.id,
        email: u.email,
        fullName: u.fullName,
        role: x.role,
        status: x.status,
        joinedAt: x.joinedAt,
      });
    }
    if (m === 'DELETE') {
      db.members.splice(db.members.indexOf(x), 1);
      return send(res, 204);
    }
  }
  if (p === '/agents') {
    if (m === 'GET') {
      let rows = db.agents.filter((a) => a.tenantId === tid).sort(byNewest);
      if (q.get('status')) rows = rows.filter((a) => a.status === q.get('status'));
      if (q.get('q'))
        rows = rows.filter((a) => a.name.toLowerCase().includes(q.get('q').toLowerCase()));
      return send(res, 200, page(rows, q));
    }
    if (m === 'POST') {
      if (!need('member')) return;
      if (!b.name) return err(res, 400, ['name: required']);
      return send(res, 201, strip(agent({ id: tid }, b)));
    }
  }
  if ((mm = p.match(/^\/agents\/([\w-]+)$/))) {
    const a = db.agents.find((x) => x.id === mm[1] && x.tenantId === tid);
    if (!a) return err(res, 404, 'Agent not found');
    if (m === 'GET') return send(res, 200, strip(a));
    if (!need('member')) return;
    if (m === 'PATCH') {
      Object.assign(a, b, { updatedAt: now() });
      return send(res, 200, strip(a));
    }
    if (m === 'DELETE') {
      db.agents.splice(db.agents.indexOf(a), 1);
      return send(res, 204);
    }
  }
  if (p === '/leads') {
    if (m === 'GET') {
      let rows = db.leads.filter((l) => l.tenantId === tid).sort(byNewest);
      for (const k of ['status']) if (q.get(k)) rows = rows.filter((l) => l[k] === q.get(k));
      if (q.get('agentId')) rows = rows.filter((l) => l.assignedAgentId === q.get('agentId'));
      if (q.get('tag')) rows = rows.filter((l) => l.tags.includes(q.get('tag')));
      if (q.get('q')) {
        const s = q.get('q').toLowerCase();
        rows = rows.filter((l) =>
          [l.firstName, l.lastName, l.phone, l.email, l.company].some(
            (v) => v && v.toLowerCase().includes(s),
          ),
        );
      }
      return send(res, 200, page(rows, q));
    }
    if (m === 'POST') {
      if (!need('member')) return;
      const phone = validPhone(b.phone);
      if (!phone) return err(res, 400, ['phone: not a valid number']);
      if (db.leads.some((l) => l.tenantId === tid && l.phone === phone))
        return err(res, 409, `A lead with phone ${phone} already exists`);
      return send(res, 201, strip(lead({ id: tid }, { ...b, phone })));
    }
  }
  if (m === 'GET' && p === '/leads/export') {
    const rows = db.leads.filter((l) => l.tenantId === tid);
    return send(
      res,
      200,
      [
        'first_name,last_name,phone,email',
        ...rows.map((l) =>
          [l.firstName, l.lastName, l.phone, l.email].map((v) => v ?? '').join(','),
        ),
      ].join('\n') + '\n',
      { 'content-type': 'text/csv' },
    );
  }
  if (m === 'POST' && p === '/leads/import') {
    if (!need('member')) return;
    const lines = String(b).split(/\r?\n/);
    const head = lines[0].split(',').map((h) => h.trim().toLowerCase());
    const out = { inserted: 0, updated: 0, rejected: [] };
    lines.slice(1).forEach((line, i) => {
      if (!line.trim()) return;
      const cells = line.split(',');
      const row = Object.fromEntries(head.map((h, j) => [h, cells[j]?.trim() || null]));
      const phone = validPhone(row.phone);
      if (!phone)
        return out.rejected.push({
          line: i + 2,
          reason: `phone "${row.phone ?? ''}" is not a valid number`,
        });
      const ex = db.leads.find((l) => l.tenantId === tid && l.phone === phone);
      const f = {
        firstName: row.first_name,
        lastName: row.last_name,
        email: row.email,
        company: row.company,
      };
      if (ex) {
        Object.assign(ex, f);
        out.updated++;
      } else {
        lead({ id: tid }, { ...f, phone });
        out.inserted++;
      }
    });
    return send(res, 200, out);
  }
  if ((mm = p.match(/^\/leads\/([\w-]+)$/))) {
    const l = db.leads.find((x) => x.id === mm[1] && x.tenantId === tid);
    if (!l) return err(res, 404, 'Lead not found');
    if (m === 'GET') return send(res, 200, strip(l));
    if (!need('member')) return;
    if (m === 'PATCH') {
      Object.assign(l, b, { updatedAt: now() });
      return send(res, 200, strip(l));
    }
    if (m === 'DELETE') {
      db.leads.splice(db.leads.indexOf(l), 1);
      return send(res, 204);
    }
  }
  if (m === 'GET' && p === '/calls/stats') {
    const from = q.get('from') ?? new Date(Date.now() - 30 * 864e5).toISOString();
    const to = q.get('to') ?? now();
    const rows = db.calls.filter(
      (c) => c.tenantId === tid && c.createdAt >= from && c.createdAt <= to,
    );
    const totals = (rs) => {
      const con = rs.filter((c) => c.status === 'completed');
      return {
        calls: rs.length,
        connected: con.length,
        connectRate: rs.length ? con.length / rs.length : 0,
        avgDurationSeconds: con.length
          ? con.reduce((s, c) => s + c.durationSeconds, 0) / con.length
          : 0,
        totalCost: rs.reduce((s, c) => s + (c.cost ?? 0), 0),
      };
    };
    const group = (key) => {
      const g = {};
      for (const c of rows) (g[key(c)] ??= []).push(c);
      return g;
    };
    return send(res, 200, {
      from,
      to,
      timezone: db.configs[tid].timezone,
      totals: totals(rows),
      byStatus: Object.entries(group((c) => c.status)).map(([status, rs]) => ({
        status,
        count: rs.length,
      })),
      byOutcome: Object.entries(group((c) => c.outcome ?? ''))
        .filter(([o]) => o)
        .map(([outcome, rs]) => ({ outcome, count: rs.length })),
      byAgent: Object.entries(group((c) => c.agentId)).map(([agentId, rs]) => ({
        agentId,
        agentName: db.agents.find((a) => a.id === agentId)?.name ?? '?',
        ...totals(rs),
      })),
      byDay: Object.entries(group((c) => c.createdAt.slice(0, 10)))
        .map(([day, rs]) => ({
          day,
          calls: rs.length,
          connected: rs.filter((c) => c.status === 'completed').length,
        }))
        .sort((a, b) => (a.day < b.day ? -1 : 1)),
    });
  }
  if (m === 'POST' && p === '/calls') {
    if (!need('member')) return;
    if (!db.agents.some((a) => a.id === b.agentId && a.tenantId === tid))
      return err(res, 400, ['agentId: unknown agent']);
    const c = {
      leadId: null,
      status: 'queued',
      startedAt: null,
      answeredAt: null,
      endedAt: null,
      durationSeconds: null,
      endReason: null,
      outcome: null,
      sentiment: null,
      summary: null,
      transcript: [],
      recordingUrl: null,
      cost: null,
      provider: null,
      providerCallId: null,
      ...b,
      id: randomUUID(),
      tenantId: tid,
      createdAt: now(),
      updatedAt: now(),
    };
    if (c.startedAt && c.endedAt)
      c.durationSeconds = Math.round((Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000);
    db.calls.push(c);
    return send(res, 201, strip(c));
  }
  if (m === 'GET' && p === '/calls') {
    let rows = db.calls.filter((c) => c.tenantId === tid).sort(byNewest);
    for (const k of ['status', 'direction', 'agentId', 'leadId'])
      if (q.get(k)) rows = rows.filter((c) => c[k] === q.get(k));
    if (q.get('from')) rows = rows.filter((c) => c.createdAt >= q.get('from'));
    if (q.get('to')) rows = rows.filter((c) => c.createdAt <= q.get('to'));
    const pg = page(rows, q);
    pg.data = pg.data.map(({ transcript: _transcript, ...c }) => c);
    return send(res, 200, pg);
  }
  if ((mm = p.match(/^\/calls\/([\w-]+)$/)) && m === 'GET') {
    const c = db.calls.find((x) => x.id === mm[1] && x.tenantId === tid);
    return c ? send(res, 200, strip(c)) : err(res, 404, 'Call not found');
  }
  return err(res, 404, `Cannot ${m} ${url.pathname}`);
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};
createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  try {
    if (url.pathname === '/health') return send(res, 200, { status: 'healthy', timestamp: now() });
    if (url.pathname === '/config.json')
      return send(res, 200, { apiUrl: '', appName: 'AI Call Center', appVersion: '0.1.0-mock' });
    if (url.pathname === '/__mail') {
      const to = url.searchParams.get('to');
      return send(
        res,
        200,
        db.mail.filter((x) => !to || x.to === to.toLowerCase()),
      );
    }
    if (url.pathname.startsWith('/api/v1/')) return await api(req, res, url);
    let file = join(ROOT, url.pathname);
    if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory())
      file = join(ROOT, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch (e) {
    console.error(e);
    err(res, 400, String(e.message ?? e));
  }
}).listen(PORT, '127.0.0.1', () => console.log(`mock api on http://127.0.0.1:${PORT}`));
