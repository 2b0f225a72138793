import type { Readable } from 'node:stream';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import busboy from 'busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IMPORT_MAX_BYTES } from '@acc/contracts';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];

/**
 * Leaves CSV and multipart bodies unread, for the import to stream them
 * (csvSource); any other route given such a body sees no body and fails validation.
 */
export function acceptCsvUploads(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser([...CSV_TYPES, 'multipart/form-data'], (_req, _body, done) =>
    done(null),
  );
}

/** The CSV of an import: the body itself (text/csv) or the first file of a multipart form. */
export function csvSource(request: FastifyRequest): Promise<Readable> {
  const req = request.raw;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > IMPORT_MAX_BYTES)
    throw new PayloadTooLargeException(`the CSV is larger than ${IMPORT_MAX_BYTES} bytes`);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (CSV_TYPES.some((t) => type.startsWith(t))) return Promise.resolve(req);
  if (!type.startsWith('multipart/form-data')) {
    throw new UnsupportedMediaTypeException(
      'send the CSV as a text/csv body or as a multipart/form-data file',
    );
  }
  return new Promise((resolve, reject) => {
    const bb = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: IMPORT_MAX_BYTES + 1 },
    });
    let found = false;
    bb.on('file', (_name, file) => {
      found = true;
      resolve(file);
    });
    bb.on('error', reject);
    bb.on('finish', () => {
      if (!found) reject(new UnsupportedMediaTypeException('the multipart form has no file'));
    });
    req.pipe(bb);
  });
}
