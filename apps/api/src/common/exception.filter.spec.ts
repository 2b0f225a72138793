import { ArgumentsHost, Logger } from '@nestjs/common';
import { ZodValidationException } from 'nestjs-zod';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ApiExceptionFilter, isUnavailable } from './exception.filter';

/** What a pg DatabaseError looks like once TypeORM wraps it. */
function queryFailed(code: string, message: string): QueryFailedError {
  const driverError = Object.assign(new Error(message), { code, severity: 'FATAL' });
  return new QueryFailedError('START TRANSACTION', [], driverError);
}

/**
 * Database outages answer 503, never 500. The cases come from the scale-out
 * test (scripts/scale-test.sh): PostgreSQL stopped behind PgBouncer.
 */
describe('isUnavailable', () => {
  it.each([
    ['server login has been failing, try again later (server_login_retry)'],
    ['server conn crashed?'],
    ['query_wait_timeout'],
    ['pgbouncer cannot connect to server'],
  ])('PgBouncer pooler error "%s" (FATAL 08P01)', (message) => {
    expect(isUnavailable(queryFailed('08P01', message))).toBe(true);
  });

  it('other connection exceptions (class 08) and shutdowns', () => {
    for (const code of ['08000', '08003', '08006', '57P01', '57P02', '57P03'])
      expect(isUnavailable(queryFailed(code, 'x'))).toBe(true);
  });

  it('a query on a runner whose connection the server closed (TypeORM released it)', () => {
    expect(isUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('not data errors or bugs', () => {
    expect(isUnavailable(queryFailed('23505', 'duplicate key'))).toBe(false);
    expect(isUnavailable(queryFailed('42P01', 'relation does not exist'))).toBe(false);
    expect(isUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});

/** What the filter writes for an exception, through a stand-in for Fastify's reply. */
function answer(
  exception: unknown,
  socket: { destroyed?: boolean } = {},
): { status: number; body: Record<string, unknown>; rawStatus?: number } {
  const out = { status: 0, body: {} as Record<string, unknown>, rawStatus: undefined };
  const reply = {
    sent: false,
    raw: {
      headersSent: false,
      destroyed: socket.destroyed === true,
      set statusCode(s: number) {
        (out as { rawStatus?: number }).rawStatus = s;
      },
    },
    header: () => reply,
    code: (status: number) => ((out.status = status), reply),
    send: (body: Record<string, unknown>) => ((out.body = body), reply),
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ id: 'r1', url: '/x' }) }),
  } as unknown as ArgumentsHost;
  new ApiExceptionFilter().catch(exception, host);
  return out;
}

describe('ApiExceptionFilter', () => {
  // the 500 below is logged by design; keep the test output quiet
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('a validation failure that is not a ZodError (a schema threw) is a 400, not a crash', () => {
    expect(answer(new ZodValidationException(new RangeError('stack')))).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'the request is malformed',
        requestId: 'r1',
      },
    });
  });

  it("a plugin's 4xx refusal keeps its status; other errors are a 500 that says nothing more", () => {
    const refused = Object.assign(new Error('Unsupported Content-Encoding: foo'), {
      statusCode: 415,
    });
    expect(answer(refused).body).toMatchObject({
      statusCode: 415,
      message: 'Unsupported Content-Encoding: foo',
    });
    const bug = Object.assign(new Error('secret detail'), { statusCode: 502 });
    expect(answer(bug).body).toMatchObject({ statusCode: 500, message: 'internal server error' });
  });

  it('a client that hung up: logged as such (not an error), no answer written, 499 not 5xx', () => {
    const error = jest.spyOn(Logger.prototype, 'error');
    error.mockClear();
    const info = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const out = answer(new Error('query outside a tenant transaction scope'), {
        destroyed: true,
      });
      expect(out).toMatchObject({ status: 0, body: {}, rawStatus: 499 });
      expect(error).not.toHaveBeenCalled();
      expect(info).toHaveBeenCalledWith(expect.anything(), 'client closed the request');
    } finally {
      info.mockRestore();
    }
  });
});
