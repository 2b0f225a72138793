#!/usr/bin/env python3
"""Checks ops/grafana/ai-call-center.json: valid JSON, unique panel ids, no
overlapping panels, every panel's datasource is the $datasource variable,
and every PromQL query parses (written out as recording rules, with the
Grafana variables substituted, for `promtool check rules`) and only uses
metrics the API exports (or Node.js / Prometheus standard ones).
    python3 ops/tests/check-dashboard.py [dashboard.json]
"""
import json, os, re, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'grafana', 'ai-call-center.json')
dash = json.load(open(path))

API_METRICS = {'http_request_duration_seconds_count', 'http_request_duration_seconds_bucket', 'http_errors_total',
               'db_pool_in_use', 'db_pool_waiting', 'db_pool_size', 'acc_active_tenants', 'acc_active_users',
               'acc_tenant_members_bucket', 'acc_api_calls_total'}
STANDARD = {'up', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes',
            'nodejs_eventloop_lag_p99_seconds', 'process_start_time_seconds', 'process_open_fds'}

problems = []
panels = [p for p in dash['panels']]
ids = [p['id'] for p in panels]
if len(ids) != len(set(ids)):
    problems.append('duplicate panel ids')
cells = {}
for p in panels:
    g = p['gridPos']
    for yy in range(g['y'], g['y'] + g['h']):
        for xx in range(g['x'], g['x'] + g['w']):
            if xx >= 24:
                problems.append(f'panel {p["title"]!r} is wider than the grid')
            if (xx, yy) in cells:
                problems.append(f'panel {p["title"]!r} overlaps {cells[(xx, yy)]!r}')
                break
            cells[(xx, yy)] = p['title']
exprs = []
for p in panels:
    if p['type'] == 'row':
        continue
    if p.get('datasource', {}).get('uid') != '${datasource}':
        problems.append(f'panel {p["title"]!r} does not use the $datasource variable')
    for t in p.get('targets', []):
        exprs.append((p['title'], t['expr']))
rules = {'groups': [{'name': 'dashboard', 'rules': []}]}
for i, (title, e) in enumerate(exprs):
    concrete = (e.replace('$__rate_interval', '1m').replace('$job', 'ai-call-center-api')
                 .replace('$instance', '.*'))
    rules['groups'][0]['rules'].append({'record': f'dashboard:query_{i}', 'expr': concrete})
    for name in re.findall(r'\b([a-z_][a-z0-9_]*)\s*\{', concrete):
        if name not in API_METRICS | STANDARD:
            problems.append(f'{title!r}: unknown metric {name}')
with tempfile.NamedTemporaryFile('w', suffix='.yml', delete=False) as f:
    json.dump(rules, f)  # JSON is YAML
r = subprocess.run(['promtool', 'check', 'rules', f.name], capture_output=True, text=True)
os.unlink(f.name)
if r.returncode != 0:
    problems.append('promtool rejected a query:\n' + r.stdout + r.stderr)
print(f'{path}: {len(panels)} panels, {len(exprs)} queries')
for p in problems:
    print('PROBLEM:', p)
print(f'dashboard check: {0 if problems else 1} passed, {1 if problems else 0} failed')
sys.exit(1 if problems else 0)
