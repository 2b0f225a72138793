import type { IncomingMessage, ServerResponse } from 'node:http';
import { INestApplication, UnsupportedMediaTypeException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import fastifyCompress from '@fastify/compress';
import type { FastifyReply } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { buildOpenApi } from './common/openapi';
import { parseEnv } from './config/env';
import { serveConsole } from './console-host/serve-console';
import { acceptCsvUploads } from './leads/csv-upload';
import { HTTP_LOGGER, installRequestIds, installRequestLogging, requestIdOf } from './logging';
import { installHttpMetrics } from './metrics/http-metrics.hook';
import { MetricsService } from './metrics/metrics.service';
import { Db } from './tenancy/db.service';
import { answeringWithResult } from './common/answer-kind';
import { installRequestScope } from './tenancy/request-scope';
import { securityHeaders } from './security-headers';

/**
 * Nest sends every route handler's result through reply(): from here on the
 * request's transaction is to commit before the answer is written (the
 * onSend hook of request-scope.ts; an error answer rolls it back instead).
 */
class ApiFastifyAdapter extends FastifyAdapter {
  override reply(response: FastifyReply | ServerResponse, body: unknown, statusCode?: number) {
    answeringWithResult('raw' in response ? response.raw : response);
    return super.reply(response, body, statusCode);
  }
}

/**
 * Builds the fully configured application (not yet listening); used by main
 * and by tests. Nest runs on Fastify: on the leads list it spends 10-20%
 * less CPU per request than on Express (docs/performance.md).
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const env = parseEnv(process.env);
  const adapter = new ApiFastifyAdapter({
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    bodyLimit: bytes(env.BODY_LIMIT),
    // Node's defaults, which Fastify would otherwise change: an idle
    // keep-alive connection closes after 5 s (longer than nginx's 4 s, see
    // docs/operations.md) and a request must arrive whole within 300 s.
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // Draining is server.ts's job (stop listening, answer in-flight requests).
    return503OnClosing: false,
    forceCloseConnections: false,
    // as Express did: /api/v1/leads/ is /api/v1/leads; a long bad id is a 400 from validation, not a 404
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // no Nest middleware is applied (the request logger is a hook: logging.ts)
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // JSON bodies are read as a buffer anyway; keeping it (req.rawBody) lets the
    // voice providers' HMAC signatures be checked against the exact bytes sent
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  // Hooks run before the body is parsed, so that its refusals (413, malformed
  // JSON) carry a request id, the security headers and CORS like every other answer.
  installRequestLogging(fastify, app.get(HTTP_LOGGER));
  installRequestIds(fastify);
  installRequestScope(fastify, app.get(Db));
  installHttpMetrics(fastify, app.get(MetricsService));
  const headers = securityHeaders(env.API_URL);
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.headers(headers);
    // API answers are one user's data (tokens, members, leads): no cache keeps them,
    // unless a route says otherwise.
    if (req.url.startsWith('/api/v1/')) void reply.header('Cache-Control', 'no-store');
    done();
  });
  // Answers of 1 kB or more are compressed for clients that ask (Accept-Encoding).
  await app.register(fastifyCompress, { threshold: 1024 });
  const origins = new Set(env.CORS_ORIGINS);
  app.enableCors({
    // Only listed origins get Access-Control-Allow-Origin; others get no CORS headers at all.
    origin: (origin, cb) => cb(null, origin !== undefined && origins.has(origin)),
    credentials: false,
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition'],
    maxAge: 600,
  });
  acceptCsvUploads(fastify);
  // Form bodies are what a cross-site <form> can send without a preflight: no route takes
  // them (415), so a page elsewhere cannot post to a JSON route in the user's browser.
  fastify.addHook('onRequest', (req, _reply, done) => {
    const type = req.headers['content-type'] ?? '';
    done(
      /^application\/x-www-form-urlencoded\b/i.test(type)
        ? new UnsupportedMediaTypeException('send JSON (application/json)')
        : undefined,
    );
  });
  setupSwagger(app);
  if (env.SERVE_CONSOLE) serveConsole(app, env.CONSOLE_DIST);
  return app;
}

/** TRUST_PROXY as Express spelled it: true/false, a hop count, or addresses and names such as loopback. */
function trustProxySetting(v: string): boolean | number | string {
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** BODY_LIMIT such as 512kb or 1mb, in bytes. */
function bytes(size: string): number {
  const m = /^(\d+)(b|kb|mb)$/i.exec(size) as RegExpExecArray;
  return (
    Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[m[2].toLowerCase() as 'b' | 'kb' | 'mb']
  );
}

function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'AI Call Center API',
  });
}
