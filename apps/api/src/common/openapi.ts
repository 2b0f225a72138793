import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { appVersion } from '../version';
import { PUBLIC_EXTENSION, operationId } from './api-docs';
import { DTO_EXAMPLES } from './zod-dto';

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
  return withExamples(
    markPublicOperations(
      cleanupOpenApiDoc(
        SwaggerModule.createDocument(app, doc, { operationIdFactory: operationId }),
      ),
    ),
  );
}

/** What a CSV upload looks like, for the routes that take one as a text/csv body. */
const CSV_EXAMPLES: Record<string, string> = {
  importLeads:
    'phone,first_name,last_name,email,company,tags\n' +
    '+13125550177,Margaret,Hamilton,margaret@example.com,Lovelace Engines,vip;spring\n' +
    '+13125550178,Alan,Kay,,Xerox,\n',
  importDnc: 'phone,reason\n+13125550190,asked not to be called\n',
};

/**
 * The request examples registered with the contracts (libs/contracts
 * examples.ts) as each body schema's `example` (OpenAPI 3.0 has no
 * `examples` there). A CSV body is a string, with an example file.
 */
function withExamples(doc: OpenAPIObject): OpenAPIObject {
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    const s = schema as Record<string, unknown>;
    delete s['examples'];
    if (DTO_EXAMPLES.has(name)) s['example'] = DTO_EXAMPLES.get(name);
  }
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      const csv = (
        op as { operationId?: string; requestBody?: { content?: Record<string, unknown> } }
      )?.requestBody?.content?.['text/csv'];
      const example = CSV_EXAMPLES[(op as { operationId?: string }).operationId ?? ''];
      if (csv && example) Object.assign(csv, { schema: { type: 'string' }, example });
    }
  }
  return doc;
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
 * zod's records come out with JSON Schema's `propertyNames`, and its tuples
 * with `prefixItems`, which OpenAPI 3.0 schemas do not have (the keys of
 * such maps are strings anyway).
 */
function withoutPropertyNames<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(withoutPropertyNames);
  else if (node && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    delete n['propertyNames'];
    // a tuple ([old, new] of a change) is JSON Schema's prefixItems: 3.0 says an array of n
    if (Array.isArray(n['prefixItems'])) {
      const size = n['prefixItems'].length;
      delete n['prefixItems'];
      Object.assign(n, { items: {}, minItems: size, maxItems: size });
    }
    Object.values(node).forEach(withoutPropertyNames);
  }
  return node;
}
