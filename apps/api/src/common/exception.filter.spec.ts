import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isUnavailable } from './exception.filter';

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
