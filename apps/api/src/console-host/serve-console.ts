import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

const NOT_SPA = /^\/(api|health|metrics|config\.json)(\/|$)/;
const HASHED = /[.-][A-Z0-9]{8,}\.(js|css|woff2?|png|svg|jpg|webp)$/i;

/**
 * Serves the built console from the API process: hashed assets cached for a
 * year, index.html never cached, and every other GET for an HTML page falls
 * back to index.html so deep links work. Returns false when there is no build.
 */
export function serveConsole(app: INestApplication, dist: string): boolean {
  const root = resolve(dist);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.use(
    express.static(root, {
      index: false,
      setHeaders: (res, path) => {
        res.setHeader(
          'Cache-Control',
          HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  server.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (NOT_SPA.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
