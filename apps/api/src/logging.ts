import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigService } from '@nestjs/config';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from './config/env';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The request's id: the caller's X-Request-Id when it is sane, else a new
 * one. Fastify asks first (genReqId, app.factory), so even a request refused
 * by the body parser has one; the logger then reuses it.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const req = raw as IncomingMessage & { id?: string };
  if (req.id) return req.id;
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  return req.id;
}

/** Echoes the request id on every answer. */
export function installRequestIds(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('X-Request-Id', req.id);
    done();
  });
}

/** pino JSON logs (or pretty), one line per request with its id; secrets redacted. */
export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) => ({
    pinoHttp: {
      level: config.get('LOG_LEVEL', { infer: true }),
      transport:
        config.get('LOG_FORMAT', { infer: true }) === 'pretty'
          ? { target: 'pino-pretty', options: { singleLine: true } }
          : undefined,
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: {
        ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  }),
});
