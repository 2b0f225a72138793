// A test SMTP server on loopback with an HTTP view of what it caught, in the shape
// src/helpers/mail.ts reads: GET /mails?to=<address> -> [{to, subject, text}].
// Usage: node apps/console-e2e/mock-api/mail-catcher.mjs [smtpPort=2525] [httpPort=8025]
import { createServer } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const SMTP_PORT = Number(process.argv[2] ?? 2525);
const HTTP_PORT = Number(process.argv[3] ?? 8025);
const mails = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: parsed.subject ?? '',
          text: `${parsed.text ?? ''}\n${parsed.html || ''}`
            .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
            .replace(/&amp;/g, '&'),
        });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(SMTP_PORT, '127.0.0.1');

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const to = url.searchParams.get('to')?.toLowerCase();
  const list = mails.filter((m) => !to || m.to.includes(to));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(list));
}).listen(HTTP_PORT, '127.0.0.1', () =>
  console.log(`smtp on 127.0.0.1:${SMTP_PORT}, mails at http://127.0.0.1:${HTTP_PORT}/mails`),
);
