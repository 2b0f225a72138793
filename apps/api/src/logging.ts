import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Env } from './config/env';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Keeps a caller's X-Request-Id when it is sane, else makes one; echoes it
 * back. Runs first (app.factory), so even a request refused by the body
 * parser has one; the logger then reuses it.
 */
export function assignRequestId(
  req: IncomingMessage & { id?: string },
  res: ServerResponse,
): string {
  if (req.id) return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  req.id = id;
  return id;
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
      genReqId: (req: IncomingMessage, res: ServerResponse) =>
        assignRequestId(req as IncomingMessage & { id?: string }, res),
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
