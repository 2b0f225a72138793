import type { IncomingMessage, ServerResponse } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import type { Env } from './config/env';
import { serveConsole } from './console-host/serve-console';
import { assignRequestId } from './logging';
import { appVersion } from './version';

/** Builds the fully configured application (not yet listening); used by main and by tests. */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  const env = <K extends keyof Env>(k: K) => config.get(k, { infer: true }) as Env[K];

  app.set('trust proxy', env('TRUST_PROXY'));
  app.disable('x-powered-by');
  // tenant data is never cached by HTTP validators; hashing every body costs a few % per request
  app.set('etag', false);
  // Before the body parser, so that its refusals (413, malformed JSON) carry a
  // request id, the security headers and CORS like every other answer.
  app.use((req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => {
    assignRequestId(req, res);
    next();
  });
  app.use(helmet(helmetOptions(env('API_URL'))));
  app.use(compression());
  const origins = new Set(env('CORS_ORIGINS'));
  app.enableCors({
    // Only listed origins get Access-Control-Allow-Origin; others get no CORS headers at all.
    origin: (origin, cb) => cb(null, origin !== undefined && origins.has(origin)),
    credentials: false,
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition'],
    maxAge: 600,
  });
  app.useBodyParser('json', { limit: env('BODY_LIMIT') });
  setupSwagger(app);
  if (env('SERVE_CONSOLE')) serveConsole(app, env('CONSOLE_DIST'));
  return app;
}

function helmetOptions(apiUrl: string): Parameters<typeof helmet>[0] {
  const connect = ["'self'", ...(apiUrl ? [new URL(apiUrl).origin] : [])];
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Angular Material and Swagger UI set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // call recordings are played from the telephony provider's storage
        mediaSrc: ["'self'", 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: connect,
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // plain-http deployments (localhost, behind a TLS proxy) must not have requests rewritten to https
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  };
}

export function buildOpenApi(app: INestApplication) {
  const doc = new DocumentBuilder()
    .setTitle('AI Call Center API')
    .setDescription(
      'Multi-tenant back office for AI voice agents. Authenticate with POST /api/v1/auth/login, ' +
        "then send `Authorization: Bearer <token>`. The tenant of every call is the token's tenant. " +
        'Errors are `{statusCode, error, message}`; lists are `{data, nextCursor}`.',
    )
    .setVersion(appVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  return cleanupOpenApiDoc(SwaggerModule.createDocument(app, doc));
}

function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'AI Call Center API',
  });
}
