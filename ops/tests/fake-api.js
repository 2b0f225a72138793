#!/usr/bin/env node
// A stand-in for one API instance, for the nginx smoke test: answers every
// request with JSON describing what it received (instance name, headers,
// body size), /health like the API, and accepts WebSocket upgrades.
//   node fake-api.js <port> <name>
'use strict';
const http = require('node:http');

const port = Number(process.argv[2]);
const name = process.argv[3] || `api-${port}`;

const server = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c) => (bytes += c.length));
  req.on('end', () => {
    if (req.url === '/health' || req.url.startsWith('/health/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: 'healthy', timestamp: new Date().toISOString(), instance: name }));
    }
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return res.end(`# TYPE acc_fake_up gauge\nacc_fake_up{instance_name="${name}"} 1\n`);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ instance: name, method: req.method, url: req.url, bytes, headers: req.headers }));
  });
});

server.on('upgrade', (req, socket) => {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `X-Instance: ${name}\r\n\r\n`,
  );
  socket.end();
});

server.keepAliveTimeout = 5000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`${name} listening on 127.0.0.1:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
