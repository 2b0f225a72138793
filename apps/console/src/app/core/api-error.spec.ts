import { HttpErrorResponse } from '@angular/common/http';
import { apiErrorMessage, apiErrorMessages } from './api-error';

const err = (status: number, error: unknown) => new HttpErrorResponse({ status, error });

describe('apiErrorMessage', () => {
  it('uses the API message, string or list', () => {
    expect(
      apiErrorMessage(err(400, { statusCode: 400, error: 'Bad Request', message: 'bad' })),
    ).toBe('bad');
    expect(apiErrorMessage(err(400, { message: ['a', 'b'] }))).toBe('a; b');
    expect(apiErrorMessages(err(400, { message: ['a', 'b'] }))).toEqual(['a', 'b']);
  });

  it('reads a JSON error that arrived as text', () => {
    expect(apiErrorMessage(err(409, '{"statusCode":409,"message":"duplicate"}'))).toBe('duplicate');
  });

  it('has fallbacks for bodies without a message', () => {
    expect(apiErrorMessage(err(0, null))).toMatch(/Cannot reach the server/);
    expect(apiErrorMessage(err(403, null))).toMatch(/permission/);
    expect(apiErrorMessage(err(429, null))).toMatch(/Too many requests/);
    expect(apiErrorMessage(err(502, null))).toMatch(/server had a problem/);
    expect(apiErrorMessage(new Error('boom'))).toBe('boom');
  });
});
