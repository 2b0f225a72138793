import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';

/**
 * Starts what the browser tests run against: a throwaway PostgreSQL
 * database, a real SMTP catcher (with a small JSON mailbox for the tests),
 * and the built API serving the built console, as in production.
 * BASE_URL and MAIL_API_URL reach the test workers through the environment.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Mail {
  to: string[];
  subject: string;
  html: string;
  text: string;
}

const state: { api?: ChildProcess; smtp?: SMTPServer; mailbox?: Server; database?: string } = {};

function withDatabase(url: string, db: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

async function startMail(): Promise<{ smtpPort: number; mailboxUrl: string }> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream)
        .then((m) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: m.subject ?? '',
            html: m.html || '',
            text: m.text ?? '',
          });
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const mailbox = createServer((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to')?.toLowerCase();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(to ? mails.filter((m) => m.to.includes(to)) : mails));
  });
  await new Promise<void>((r) => mailbox.listen(0, '127.0.0.1', r));
  state.smtp = smtp;
  state.mailbox = mailbox;
  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    mailboxUrl: `http://127.0.0.1:${(mailbox.address() as AddressInfo).port}/mails`,
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env['BASE_URL']) return async () => undefined; // testing a running deployment
  const main = join(ROOT, 'dist', 'apps', 'api', 'main.js');
  const consoleDist = join(ROOT, 'dist', 'apps', 'console', 'browser');
  if (!existsSync(main) || !existsSync(join(consoleDist, 'index.html'))) {
    throw new Error('build first: npx nx run-many -t build -p api console');
  }
  const name = `acc_e2e_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  state.database = name;

  const { smtpPort, mailboxUrl } = await startMail();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, [main], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_MIGRATION_URL: withDatabase(ADMIN_URL, name),
      DATABASE_URL: withDatabase(ADMIN_URL, name, 'acc_app'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      FRONTEND_URL: baseUrl,
      SERVE_CONSOLE: 'true',
      CONSOLE_DIST: consoleDist,
      THROTTLE_AUTH_LIMIT: '1000',
      THROTTLE_IP_LIMIT: '10000',
      SEED_ON_EMPTY: 'false',
      // webhooks to the tests' own receiver on loopback, over http; a failing one gives up
      // after its second attempt, 0.2 s after the first
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_RETRY_BASE_MS: '200',
      JOBS_POLL_INTERVAL_MS: '200',
    },
  });
  state.api = api;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode}`);
    const ok = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the API did not become healthy within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env['BASE_URL'] = baseUrl;
  process.env['MAIL_API_URL'] = mailboxUrl;

  return async () => {
    state.api?.kill('SIGTERM');
    await new Promise((r) => (state.api?.exitCode !== null ? r(null) : state.api?.once('exit', r)));
    await new Promise<void>((r) => (state.smtp ? state.smtp.close(() => r()) : r()));
    await new Promise<void>((r) => (state.mailbox ? state.mailbox.close(() => r()) : r()));
    const c = new Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${state.database} WITH (FORCE)`);
    await c.end();
  };
}
