// The fair baseline of the benchmark: plain node:http + pg, doing what the
// API does for GET /api/v1/leads and nothing else. The same JWT check
// (HS256 with a KeyObject, issuer, audience, claim shapes), the same tenant
// transaction as the API role (BEGIN; app_begin(tenant, user, NULL, timeout)
// with the membership check; the page query; on the first page the count of
// the tenant's leads; COMMIT), the same SQL text, the same page/cursor/total
// shape, a pool of the same size and the same type parsers.
//
// env: DATABASE_URL (the API role), JWT_SECRET, PORT, POOL_MAX,
//      JWT_ISSUER / JWT_AUDIENCE (defaults as the API's)
import { createSecretKey } from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const issuer = process.env.JWT_ISSUER ?? 'ai-call-center';
const audience = process.env.JWT_AUDIENCE ?? 'ai-call-center-api';
const STATEMENT_TIMEOUT_MS = 30_000;
// apps/api/src/database/pg-types.ts, verbatim: timestamptz read as ISO text, not as a Date.
const TIMESTAMPTZ = 1184;
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;
const parseTimestamptzAsDate = pg.types.getTypeParser(TIMESTAMPTZ);
function timestamptzToIso(text) {
  if (
    text.length === 29 &&
    text.charCodeAt(10) === 32 &&
    text.charCodeAt(19) === 46 &&
    text.endsWith('+00')
  )
    return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  const m = UTC_TEXT.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const d = parseTimestamptzAsDate(text);
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : text;
}
// The same file, verbatim: text[] and varchar[] without quotes or nesting split at their commas.
const TEXT_ARRAYS = new Set([1009, 1015]);
const parseStringArray = pg.types.getTypeParser(1009);
const NOT_PLAIN = /["\\{}]/;
function parseTextArray(text) {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(last) !== 125) return parseStringArray(text);
  const inner = text.slice(1, last);
  if (inner === '') return [];
  if (NOT_PLAIN.test(inner)) return parseStringArray(text);
  const items = inner.split(',');
  for (let i = 0; i < items.length; i++) {
    if (items[i] === '') return parseStringArray(text);
    if (items[i] === 'NULL') items[i] = null;
  }
  return items;
}
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 10),
  types: {
    getTypeParser: (oid, format) =>
      format === 'binary'
        ? pg.types.getTypeParser(oid, format)
        : oid === TIMESTAMPTZ
          ? timestamptzToIso
          : TEXT_ARRAYS.has(oid)
            ? parseTextArray
            : pg.types.getTypeParser(oid, format),
  },
});

// The API's select list of LeadEntity (entity-sql.ts) and common/pagination.ts keysetTs, verbatim.
const LEAD_COLUMNS = `l.id, l.first_name AS "firstName", l.last_name AS "lastName", l.phone, l.email,
  l.company, l.status, l.source, l.assigned_agent_id AS "assignedAgentId", l.tags, l.timezone,
  l.next_call_at AS "nextCallAt", l.last_contacted_at AS "lastContactedAt",
  l.custom_fields AS "customFields", l.external_id AS "externalId", l.created_at AS "createdAt",
  l.updated_at AS "updatedAt"`;
const KEYSET_TS = `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "_ts"`;
const PAGE_1 = `SELECT ${LEAD_COLUMNS}, ${KEYSET_TS} FROM leads l WHERE l.tenant_id = $1
        ORDER BY l.created_at DESC, l.id DESC LIMIT $2`;
const PAGE_N = `SELECT ${LEAD_COLUMNS}, ${KEYSET_TS} FROM leads l WHERE l.tenant_id = $1 AND (l.created_at, l.id) < ($2::timestamptz, $3::uuid)
        ORDER BY l.created_at DESC, l.id DESC LIMIT $4`;
// common/pagination.ts countQuery: the first page (no cursor) answers how many rows match.
const COUNT = `SELECT count(*)::int AS total FROM leads l WHERE l.tenant_id = $1`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_US = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ROLES = ['viewer', 'member', 'admin', 'owner'];

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function claimsOf(req) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) throw new HttpError(401, 'missing or invalid token');
  let p;
  try {
    p = jwt.verify(m[1], key, { algorithms: ['HS256'], issuer, audience });
  } catch {
    throw new HttpError(401, 'missing or invalid token');
  }
  if (
    typeof p.sub !== 'string' ||
    !UUID.test(p.sub) ||
    typeof p.tid !== 'string' ||
    !UUID.test(p.tid) ||
    !ROLES.includes(p.role) ||
    !Number.isInteger(p.ver)
  ) {
    throw new HttpError(401, 'invalid token');
  }
  return p;
}

function pageQuery(url) {
  const limitRaw = url.searchParams.get('limit');
  const limit = limitRaw === null ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new HttpError(400, 'limit: 1..200');
  const cursor = url.searchParams.get('cursor');
  if (!cursor) return { limit, after: null };
  const [ts, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !ISO_US.test(ts ?? '') || !UUID.test(id ?? ''))
    throw new HttpError(400, 'cursor');
  return { limit, after: { ts, id } };
}

async function listLeads(claims, { limit, after }) {
  const client = await pool.connect();
  let ok = false;
  try {
    await client.query('BEGIN');
    const { rows: m } = await client.query('SELECT * FROM app_begin($1, $2, $3, $4)', [
      claims.tid,
      claims.sub,
      null,
      STATEMENT_TIMEOUT_MS,
    ]);
    const mb = m[0];
    if (!mb || mb.m_status !== 'active' || !mb.m_user_active || mb.m_token_version !== claims.ver) {
      throw new HttpError(401, 'token is no longer valid');
    }
    const { rows } = after
      ? await client.query(PAGE_N, [claims.tid, after.ts, after.id, limit + 1])
      : await client.query(PAGE_1, [claims.tid, limit + 1]);
    const total = after ? null : (await client.query(COUNT, [claims.tid])).rows[0].total;
    await client.query('COMMIT');
    ok = true;
    const more = rows.length > limit;
    const last = more ? rows[limit - 1] : undefined;
    const nextCursor = last
      ? Buffer.from(`${last._ts}|${last.id}`, 'utf8').toString('base64url')
      : null;
    const data = more ? rows.slice(0, limit) : rows;
    // as the API's toPage: JSON leaves out _ts once it is undefined, no row is copied
    for (const row of data) row._ts = undefined;
    return { data, nextCursor, total };
  } finally {
    if (!ok) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (req.method !== 'GET' || url.pathname !== '/api/v1/leads')
    return send(res, 404, { message: 'not found' });
  (async () => listLeads(claimsOf(req), pageQuery(url)))().then(
    (page) => send(res, 200, page),
    (e) => send(res, e.status ?? 500, { message: e.status ? e.message : 'internal error' }),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`bare server listening on ${server.address().port}\n`);
});
const stop = () => {
  server.close(() => pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
