import { expect } from '@playwright/test';

/**
 * Links from mails the API sent, read from the SMTP catcher of the global setup, which answers
 * GET <MAIL_API_URL>?to=<address> with a JSON list of `{to, subject, text|html}`.
 */
function mailApiUrl(): string {
  const url = process.env['MAIL_API_URL'];
  if (!url) throw new Error('MAIL_API_URL is not set: run the suite through its global setup');
  return url;
}

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
        const res = await fetch(`${mailApiUrl()}?to=${encodeURIComponent(to)}`);
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
