import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { appVersion } from '../version';
import { PUBLIC_EXTENSION, operationId } from './api-docs';

/** The document Swagger UI and /api/docs-json serve (checked by `redocly lint` in npm test). */
export function buildOpenApi(app: INestApplication) {
  const doc = new DocumentBuilder()
    .setTitle('AI Call Center API')
    .setDescription(
      [
        'Multi-tenant back office for AI voice agents.',
        '',
        '**From a script or another system: a workspace API key.** An admin creates one in the ' +
          'console (Settings > API keys) or with `POST /api/v1/api-keys`; it is shown once. Send ' +
          'it as `Authorization: Bearer acc_...` (in Swagger UI: **Authorize**, paste the key). ' +
          'It acts in its tenant at its role (viewer, member or admin), and never on keys, ' +
          'members, invitations or the tenant itself (403).',
        '',
        '**As a person: a sign-in token.** `POST /api/v1/auth/login` answers a JWT for the same ' +
          '**Authorize** box; its tenant is the tenant of every call.',
        '',
        'Errors are `{statusCode, error, message}`; lists are `{data, nextCursor}` (keyset pages).',
      ].join('\n'),
    )
    .setVersion(appVersion())
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // relative: the document describes the server that serves it
    .addServer('/', 'this server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'acc_ API key or JWT',
        description: 'a workspace API key (`acc_...`) or a sign-in token (JWT)',
      },
      'bearer',
    )
    .build();
  return markPublicOperations(
    cleanupOpenApiDoc(SwaggerModule.createDocument(app, doc, { operationIdFactory: operationId })),
  );
}

/** `security: []` on the routes `@Public()` opens: "no credentials", not "undocumented". */
function markPublicOperations(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (typeof op !== 'object' || op === null || !(PUBLIC_EXTENSION in op)) continue;
      const marked = op as Record<string, unknown>;
      delete marked[PUBLIC_EXTENSION];
      marked['security'] = [];
    }
  }
  return withoutPropertyNames(doc);
}

/**
 * zod's records come out with JSON Schema's `propertyNames`, which OpenAPI
 * 3.0 schemas do not have (the keys of such maps are strings anyway).
 */
function withoutPropertyNames<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(withoutPropertyNames);
  else if (node && typeof node === 'object') {
    delete (node as Record<string, unknown>)['propertyNames'];
    Object.values(node).forEach(withoutPropertyNames);
  }
  return node;
}
