import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigService } from '@nestjs/config';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';
import { pinoHttp } from 'pino-http';
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

/** The request logger (pino-http): one line per request with its id; secrets redacted. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * pino JSON logs (or pretty). The request logger runs from a Fastify hook
 * (installRequestLogging) rather than as nestjs-pino's Nest middleware, which
 * Fastify only runs through @fastify/middie: a router of its own and a
 * promise per middleware on every request (docs/performance.md, issue 17).
 * nestjs-pino's Logger still writes through it, with the request's bindings.
 */
export const AppLoggerModule = LoggerModule.forRootAsync({
  providers: [
    {
      provide: HTTP_LOGGER,
      inject: [ConfigService],
      useFactory: requestLogger,
    },
  ],
  inject: [HTTP_LOGGER],
  useFactory: (http: RequestLogger) => ({
    // its logger for what logs outside a request; no middleware of nestjs-pino's
    pinoHttp: { logger: http.logger },
    useExisting: true,
    forRoutes: [],
  }),
});

function requestLogger(config: ConfigService<Env, true>) {
  return pinoHttp<IncomingMessage, ServerResponse, never>({
    level: config.get('LOG_LEVEL', { infer: true }),
    transport:
      config.get('LOG_FORMAT', { infer: true }) === 'pretty'
        ? { target: 'pino-pretty', options: { singleLine: true } }
        : undefined,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error): LevelWithSilent =>
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
  });
}
type RequestLogger = ReturnType<typeof requestLogger>;

/**
 * The first onRequest hook: the request's log line (written when it is
 * answered, whichever hook or handler answers it) and its logger, req.raw.log,
 * which the request scope's store carries for nestjs-pino's Logger.
 */
export function installRequestLogging(fastify: FastifyInstance, http: RequestLogger): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    http(req.raw, reply.raw);
    done();
  });
}
