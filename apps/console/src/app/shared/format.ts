import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
/** 754 -> "12:34", 3725 -> "1:02:05". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 1 : 0)}%`;
}

/** "1 lead", "1,234 leads": a count with its noun (regular plurals). */
export function formatCount(n: number, noun: string): string {
  return `${new Intl.NumberFormat('en-US').format(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Intl formatters are costly to make and a list makes one per row: made once per kind. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: number | null | undefined, currency = 'USD'): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const digits = amount !== 0 && Math.abs(amount) < 1 ? 4 : 2;
  const key = `${currency}|${digits}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: digits,
    });
    moneyFormats.set(key, f);
  }
  return f.format(amount);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined, seconds: boolean, locale?: string) {
  const key = `${locale}|${timeZone}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The one way the console shows an instant (issue 15 item 5): in the workspace's time zone,
 * relative when within 12 hours ("just now", "5 min ago", "in 3 h"), else "Dec 4, 2026, 02:50 PM".
 * `exact` always gives the date and the time to the second (a call's timeline).
 */
export function formatWhen(
  iso: string | null | undefined,
  opts: { timeZone?: string; now?: number; exact?: boolean; locale?: string } = {},
): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  if (!opts.exact) {
    const diff = t - (opts.now ?? Date.now());
    const abs = Math.abs(diff);
    if (abs < MINUTE_MS) return 'just now';
    if (abs < HOUR_MS) {
      const m = Math.round(abs / MINUTE_MS);
      return diff < 0 ? `${m} min ago` : `in ${m} min`;
    }
    if (abs < 12 * HOUR_MS) {
      const h = Math.round(abs / HOUR_MS);
      return diff < 0 ? `${h} h ago` : `in ${h} h`;
    }
  }
  return formatter(opts.timeZone, !!opts.exact, opts.locale).format(t);
}

/** Numbers already formatted: a list page formats the same numbers again on every visit. */
const phones = new Map<string, string>();
const PHONES_KEPT = 5000;

/** A phone number for reading: "+1 415 555 0177" (E.164 in, international format out). */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '—';
  let out = phones.get(phone);
  if (out === undefined) {
    // parsing with libphonenumber is the costly part of rendering a list row
    out = parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
    if (phones.size >= PHONES_KEPT) phones.clear();
    phones.set(phone, out);
  }
  return out;
}

export function leadName(lead: {
  firstName: string | null;
  lastName: string | null;
  phone: string;
}): string {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ');
  return name || lead.phone;
}

/** LLM providers as their owners spell them ("OpenAI", not "Openai"). */
const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  azure_openai: 'Azure OpenAI',
  groq: 'Groq',
  other: 'Other',
};

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** Milliseconds into a call as m:ss. */
export function formatOffset(ms: number): string {
  return formatDuration(ms / 1000);
}

const DAY_MS = 86_400_000;

/** How long until `iso`: "expires in 6 days", "expires within a day", "expired". */
export function formatExpiry(iso: string, now = Date.now()): string {
  const left = Date.parse(iso) - now;
  if (!(left > 0)) return 'expired';
  if (left < DAY_MS) return 'expires within a day';
  const days = Math.round(left / DAY_MS);
  return `expires in ${days} day${days === 1 ? '' : 's'}`;
}
