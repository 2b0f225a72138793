import { HttpErrorResponse } from '@angular/common/http';

interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
}

function bodyOf(err: HttpErrorResponse): ApiErrorBody | null {
  const e: unknown = err.error;
  if (e && typeof e === 'object' && !(e instanceof Blob) && !(e instanceof ProgressEvent)) {
    return e as ApiErrorBody;
  }
  if (typeof e === 'string') {
    try {
      const parsed: unknown = JSON.parse(e);
      if (parsed && typeof parsed === 'object') return parsed as ApiErrorBody;
    } catch {
      return null;
    }
  }
  return null;
}

/** The API's own words for an error (`message`, string or list), or a plain fallback. */
export function apiErrorMessage(err: unknown): string {
  if (!(err instanceof HttpErrorResponse)) {
    return err instanceof Error ? err.message : 'Something went wrong';
  }
  if (err.status === 0) return 'Cannot reach the server. Check your connection and try again.';
  const body = bodyOf(err);
  const message = body?.message;
  if (Array.isArray(message) && message.length) return message.join('; ');
  if (typeof message === 'string' && message) return message;
  if (body?.error) return body.error;
  if (err.status === 403) return 'You do not have permission to do that.';
  if (err.status === 404) return 'Not found.';
  if (err.status === 429) return 'Too many requests. Please wait a moment and try again.';
  if (err.status >= 500) return 'The server had a problem. Please try again.';
  return err.statusText || `Request failed (${err.status})`;
}

/** Messages as a list, for forms that show each one. */
export function apiErrorMessages(err: unknown): string[] {
  if (err instanceof HttpErrorResponse) {
    const message = bodyOf(err)?.message;
    if (Array.isArray(message) && message.length) return message;
  }
  return [apiErrorMessage(err)];
}

/** A record that is not there: 404, or 400 for an id that cannot be one (e.g. /leads/abc). */
export function isNotFound(err: unknown): boolean {
  return err instanceof HttpErrorResponse && (err.status === 404 || err.status === 400);
}
