#!/usr/bin/env node
// Container health probe: GET /health on this instance, healthy only on a
// 200 whose body says {"status":"healthy"} or {"status":"degraded"} (busy:
// every pooled connection in use, which a restart would not cure). Plain node, no dependencies, so
// it works in the slim runtime image (which has no curl or wget).
//   HEALTHCHECK_PATH (default /health), API_PORT (default 8080),
//   HEALTHCHECK_TIMEOUT_MS (default 4000)
'use strict';
const http = require('node:http');

const port = Number(process.env.API_PORT || 8080);
const path = process.env.HEALTHCHECK_PATH || '/health';
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);

function fail(message) {
  process.stderr.write(`unhealthy: ${message}\n`);
  process.exit(1);
}

const req = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    if (body.length < 65536) body += chunk;
  });
  res.on('end', () => {
    if (res.statusCode !== 200)
      return fail(`${path} answered ${res.statusCode}: ${body.slice(0, 200)}`);
    try {
      const { status } = JSON.parse(body);
      if (status !== 'healthy' && status !== 'degraded')
        return fail(`${path} status is ${status}, not healthy`);
    } catch {
      return fail(`${path} did not answer JSON`);
    }
    process.stdout.write(`healthy: ${path} 200\n`);
    process.exit(0);
  });
});
req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
req.on('error', (e) => fail(e.message));
