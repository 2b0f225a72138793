#!/usr/bin/env python3
"""Static checks of docker/ without a Docker engine.

compose.yaml: parses; the topology issue 6 asks for (postgres 15, migrate
as the owner straight to postgres, pgbouncer, redis, two API replicas through
PgBouncer with boot migrations off, nginx in front listing every replica,
a mail catcher); every build context / Dockerfile / mounted path exists.
Dockerfiles: known instructions only; COPY --from names an earlier stage;
every COPY source from the build context exists and is not filtered out by
the Dockerfile's .dockerignore; the final stage runs as a non-root USER and
has a HEALTHCHECK. pgbouncer.ini: pool_mode = transaction.

    python3 ops/tests/check-docker.py
"""
import configparser, fnmatch, os, re, sys
import yaml

root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
docker = os.path.join(root, 'docker')
problems, passed = [], [0]


def check(ok, what):
    if ok:
        passed[0] += 1
        print(f'ok   - {what}')
    else:
        problems.append(what)
        print(f'FAIL - {what}')


# ---- compose -------------------------------------------------------------------
compose = yaml.safe_load(open(os.path.join(docker, 'compose.yaml')))
svcs = compose['services']
for name in ['postgres', 'migrate', 'pgbouncer', 'redis', 'api-1', 'api-2', 'worker', 'nginx', 'mailpit']:
    check(name in svcs, f'compose: service {name}')
check(svcs['postgres']['image'].startswith('postgres:15'), 'compose: postgres is PostgreSQL 15')


def env(svc):
    return svcs[svc].get('environment', {})


apis = sorted(s for s in svcs if re.fullmatch(r'api-\d+', s))
check(len(apis) >= 2, f'compose: {len(apis)} API replicas')
for a in apis:
    e = env(a)
    check('@pgbouncer:6432/' in e.get('DATABASE_URL', ''), f'compose: {a} connects through pgbouncer:6432')
    check(str(e.get('MIGRATE_ON_BOOT')).lower() == 'false', f'compose: {a} does not migrate at boot')
    check(e.get('NODE_ENV') == 'production', f'compose: {a} NODE_ENV=production')
    check(svcs[a]['depends_on']['migrate']['condition'] == 'service_completed_successfully',
          f'compose: {a} starts after migrate completed')
    check('REDIS_URL' in e and 'JWT_SECRET' in e, f'compose: {a} has REDIS_URL and JWT_SECRET')
    check(str(e.get('WORKER_IN_API')).lower() == 'false', f'compose: {a} leaves the jobs to the worker service')
w = env('worker')
check(svcs['worker'].get('command', [])[-1:] == ['worker'], 'compose: worker runs `main.js worker`')
check('@postgres:5432/' in w.get('JOBS_DATABASE_URL', ''),
      'compose: the worker LISTENs on PostgreSQL itself (JOBS_DATABASE_URL), not through PgBouncer')
check('@pgbouncer:6432/' in w.get('DATABASE_URL', ''), 'compose: the worker\'s tenant transactions go through pgbouncer')
check(svcs['worker']['depends_on']['migrate']['condition'] == 'service_completed_successfully',
      'compose: worker starts after migrate completed')
m = env('migrate')
check('@postgres:5432/' in m.get('DATABASE_MIGRATION_URL', '') and 'acc_owner' in m.get('DATABASE_MIGRATION_URL', ''),
      'compose: migrate runs as acc_owner directly against postgres:5432')
check(svcs['migrate'].get('command', [])[-1:] == ['migrate'], 'compose: migrate runs `main.js migrate`')
ups = env('nginx').get('API_UPSTREAMS', '').replace(',', ' ').split()
check(sorted(ups) == sorted(f'{a}:8080' for a in apis), f'compose: nginx API_UPSTREAMS lists every replica ({" ".join(ups)})')
check(any(str(p).endswith(':80') for p in svcs['nginx'].get('ports', [])), 'compose: nginx published in front')
check('postgres' not in str(svcs['nginx'].get('networks')) and 'backend' not in svcs['nginx'].get('networks', []),
      'compose: nginx is not on the database network')
for s, spec in svcs.items():
    b = spec.get('build')
    if b:
        ctx = os.path.normpath(os.path.join(docker, b['context'] if isinstance(b, dict) else b))
        df = os.path.join(ctx, b.get('dockerfile', 'Dockerfile')) if isinstance(b, dict) else os.path.join(ctx, 'Dockerfile')
        check(os.path.isdir(ctx) and os.path.isfile(df), f'compose: {s} build context and Dockerfile exist ({os.path.relpath(df, root)})')
    for v in spec.get('volumes', []) or []:
        src = v.split(':')[0]
        if src.startswith('.'):
            p = os.path.normpath(os.path.join(docker, src))
            check(os.path.exists(p) or src.rstrip('/').endswith('backups'), f'compose: {s} mount source {src} exists')

# ---- pgbouncer -------------------------------------------------------------------
ini = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(';',))
ini.read_string(open(os.path.join(docker, 'pgbouncer', 'pgbouncer.ini')).read())
check(ini['pgbouncer']['pool_mode'].strip() == 'transaction', 'pgbouncer.ini: pool_mode = transaction')
check(ini['databases']['acc'].strip().startswith('host=postgres'), 'pgbouncer.ini: acc -> host postgres (compose)')

# ---- Dockerfiles -------------------------------------------------------------------
INSTR = {'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR',
         'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'MAINTAINER'}


def ignore_rules(path):
    rules = []
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith('#'):
                rules.append(line)
    return rules


def ignored(rel, rules):
    out = False
    for r in rules:
        neg = r.startswith('!')
        pat = r[1:] if neg else r
        pat = pat.rstrip('/')
        hit = fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel, pat + '/*') or rel.startswith(pat + '/')
        if pat.startswith('**/'):
            sub = pat[3:]
            hit = hit or any(fnmatch.fnmatch(part, sub) for part in rel.split('/')) or fnmatch.fnmatch(os.path.basename(rel), sub)
        if hit:
            out = not neg
    return out


def dockerfile(path, context):
    name = os.path.relpath(path, root)
    text = open(path).read()
    lines, buf = [], ''
    for raw in text.splitlines():
        s = raw.strip()
        if not buf and (not s or s.startswith('#')):
            continue
        if s.startswith('#'):
            continue
        buf += ' ' + s[:-1] if s.endswith('\\') else ' ' + s
        if not s.endswith('\\'):
            lines.append(buf.strip())
            buf = ''
    stages, final = [], {}
    rules = ignore_rules(path + '.dockerignore') or ignore_rules(os.path.join(context, '.dockerignore'))
    bad = [l.split()[0] for l in lines if l.split()[0].upper() not in INSTR]
    check(not bad, f'{name}: only known instructions ({len(lines)} instructions){" " + str(bad) if bad else ""}')
    for l in lines:
        word = l.split()[0].upper()
        if word == 'FROM':
            mm = re.search(r'\bAS\s+(\S+)', l, re.I)
            stages.append(mm.group(1) if mm else None)
            final = {'user': None, 'healthcheck': False}
        elif word in ('COPY', 'ADD'):
            args = [a for a in l.split()[1:]]
            frm = next((a.split('=', 1)[1] for a in args if a.startswith('--from=')), None)
            srcs = [a for a in args if not a.startswith('--')][:-1]
            if frm:
                check(frm in stages[:-1], f'{name}: COPY --from={frm} names an earlier stage')
            else:
                for src in srcs:
                    p = os.path.join(context, src)
                    rel = os.path.relpath(p, context)
                    check(os.path.exists(p) and not ignored(rel, rules),
                          f'{name}: COPY source {src} exists in the context and is not .dockerignored')
        elif word == 'USER':
            final['user'] = l.split()[1]
        elif word == 'HEALTHCHECK':
            final['healthcheck'] = True
    return final


for df, ctx, need_health in [('Dockerfile.api', root, True), ('Dockerfile.console', root, True),
                             (os.path.join('pgbouncer', 'Dockerfile'), os.path.join(docker, 'pgbouncer'), True)]:
    f = dockerfile(os.path.join(docker, df), ctx)
    check(f['user'] not in (None, 'root', '0', '0:0'), f'docker/{df}: final stage runs as non-root USER {f["user"]}')
    if need_health:
        check(f['healthcheck'], f'docker/{df}: final stage has a HEALTHCHECK')

# Secrets never in a build context.
rules = ignore_rules(os.path.join(docker, 'Dockerfile.api.dockerignore'))
for rel in ['.env', 'docker/.env', 'apps/api/.env', 'node_modules/x', 'dist/apps/api/main.js', '.git/config']:
    check(ignored(rel, rules), f'Dockerfile.api.dockerignore excludes {rel}')
check(not ignored('docker/.env.example', rules), 'Dockerfile.api.dockerignore keeps .env.example')

print(f'docker static checks: {passed[0]} passed, {len(problems)} failed')
sys.exit(1 if problems else 0)
