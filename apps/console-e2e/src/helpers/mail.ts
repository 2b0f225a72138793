import { expect } from '@playwright/test';

/**
 * Links from mails the API sent, read from the test mail catcher. The catcher answers
 * GET <MAIL_API_URL>?to=<address> with a JSON list of `{to, subject, text|html}`; until the
 * shared SMTP helper lands this is the one place to adapt.
 */
const MAIL_API_URL =
  process.env['MAIL_API_URL'] ?? `${process.env['BASE_URL'] ?? 'http://127.0.0.1:8080'}/__mail`;

interface CaughtMail {
  to: string | string[];
  subject?: string;
  text?: string;
  html?: string;
}

function linksIn(mail: CaughtMail): string[] {
  const body = `${mail.text ?? ''}\n${mail.html ?? ''}`.replace(/&amp;/g, '&');
  // Plain-text parts often wrap links as [url] or (url): brackets never end a token.
  return body.match(/https?:\/\/[^\s"'<>()[\]]+/g) ?? [];
}

/** Waits for a mail to `to` with a link whose path starts with `path`; returns that link. */
export async function waitForMailLink(
  to: string,
  path: string,
  timeoutMs = 20_000,
): Promise<string> {
  let found = '';
  await expect
    .poll(
      async () => {
        const res = await fetch(`${MAIL_API_URL}?to=${encodeURIComponent(to)}`);
        if (!res.ok) return '';
        const mails = (await res.json()) as CaughtMail[];
        for (const mail of [...mails].reverse()) {
          const link = linksIn(mail).find((l) => new URL(l).pathname.startsWith(path));
          if (link) return (found = link);
        }
        return '';
      },
      { timeout: timeoutMs, message: `mail to ${to} with a ${path} link` },
    )
    .not.toBe('');
  return found;
}

/** The mailed link's path and query, to open against the console under test. */
export function pathOf(link: string): string {
  const u = new URL(link);
  return u.pathname + u.search;
}
