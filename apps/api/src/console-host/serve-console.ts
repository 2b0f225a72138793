import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

const NOT_SPA = /^\/(api|health|metrics|config\.json)(\/|$)/;
const HASHED = /[.-][A-Z0-9]{8,}\.(js|css|woff2?|png|svg|jpg|webp)$/i;
const WANTS_HTML = /text\/html|text\/\*|\*\/\*/;

/**
 * Serves the built console from the API process: hashed assets cached for a
 * year, index.html never cached, and every other GET for an HTML page falls
 * back to index.html so deep links work. Returns false when there is no build.
 */
export function serveConsole(app: NestFastifyApplication, dist: string): boolean {
  const root = resolve(dist);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  // One route per file of the build (wildcard: false), so that "/*" below is the only fallback.
  app.useStaticAssets({
    root,
    wildcard: false,
    index: false,
    cacheControl: false,
    // @fastify/static hands over the reply (its typings say ServerResponse)
    setHeaders: (reply: unknown, path: string) => {
      (reply as FastifyReply).header(
        'Cache-Control',
        HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/*', (req, reply) => {
      const accept = req.headers.accept;
      if (NOT_SPA.test(req.url) || (accept && !WANTS_HTML.test(accept)))
        return reply.callNotFound();
      return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(index);
    });
  return true;
}
