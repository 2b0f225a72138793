import { connectionTarget, explainSetupFailure, ident } from './setup-errors';

describe('the one line a failed database setup prints', () => {
  const target = connectionTarget('postgres://app_user:pw@db.example:5432/ai_call_center');

  it.each([
    [
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      'cannot reach PostgreSQL at db.example:5432 (ECONNREFUSED): is it running, and are the host and port of the database URL right?',
    ],
    [
      { code: '28P01', message: 'password authentication failed for user "app_user"' },
      `PostgreSQL refused the password of "app_user"; as a superuser run: ALTER ROLE app_user PASSWORD '...' (and put the same password in the URL)`,
    ],
    [
      { code: '3D000', message: 'database "ai_call_center" does not exist' },
      'database "ai_call_center" does not exist; as a superuser run: CREATE DATABASE ai_call_center OWNER app_user',
    ],
    [
      { code: '28000', message: 'role "app_user" is not permitted to log in' },
      'role "app_user" is not permitted to log in; as a superuser run: ALTER ROLE app_user LOGIN',
    ],
    [
      { code: '42501', message: 'permission denied to create extension "pg_trgm"' },
      'permission denied to create extension "pg_trgm"; as a superuser run: GRANT CREATE ON DATABASE ai_call_center TO app_user (or create the extension yourself in that database)',
    ],
    [
      { code: '42883', message: 'function app_begin(uuid, uuid, unknown, integer) does not exist' },
      'function app_begin(uuid, uuid, unknown, integer) does not exist: the database has no schema yet; run the migrations (node dist/apps/api/main.js migrate, or MIGRATE_ON_BOOT=true)',
    ],
    [{ code: 'XX000', message: 'something else\nwith detail' }, 'something else'],
  ])('%o', (error, line) => {
    expect(explainSetupFailure(error, target)).toBe(line);
  });

  it('names the membership a role switch needs', () => {
    expect(
      explainSetupFailure(
        { code: '42501', message: 'permission denied to set role "acc_app"' },
        target,
        'acc_app',
      ),
    ).toBe(
      'permission denied to set role "acc_app": each tenant transaction switches from "app_user" to "acc_app", ' +
        'and "app_user" is not a member of it; as a superuser run: GRANT acc_app TO app_user ' +
        '(or unset DATABASE_APP_ROLE: a non-superuser owner runs as itself)',
    );
  });

  it('reads who a URL connects as, also from ?user= and ?host=', () => {
    expect(connectionTarget('postgres://127.0.0.1:5432/acc?user=acc_owner')).toEqual({
      user: 'acc_owner',
      database: 'acc',
      host: '127.0.0.1:5432',
    });
    expect(connectionTarget('postgresql:///acc?host=/var/run/postgresql&user=app')).toEqual({
      user: 'app',
      database: 'acc',
      host: '/var/run/postgresql',
    });
  });

  it('quotes identifiers only where PostgreSQL needs it', () => {
    expect([ident('app_user'), ident('App-User'), ident('a"b')]).toEqual([
      'app_user',
      '"App-User"',
      '"a""b"',
    ]);
  });
});
