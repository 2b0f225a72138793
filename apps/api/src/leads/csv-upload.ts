import { PassThrough, type Readable } from 'node:stream';
import {
  BadRequestException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import busboy from 'busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IMPORT_MAX_BYTES } from '@acc/contracts';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];

/**
 * Leaves CSV and multipart bodies unread: the body is the stream itself
 * (decoded when sent with a Content-Encoding), for the import to read as it
 * goes (csvSource); any other route given such a body fails validation.
 */
export function acceptCsvUploads(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser([...CSV_TYPES, 'multipart/form-data'], (_req, payload, done) =>
    done(null, payload),
  );
}

/** The CSV of an import: the body itself (text/csv) or the first file of a multipart form. */
export function csvSource(request: FastifyRequest): Promise<Readable> {
  const req = request.raw;
  const body = request.body as Readable;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > IMPORT_MAX_BYTES)
    throw new PayloadTooLargeException(`the CSV is larger than ${IMPORT_MAX_BYTES} bytes`);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (CSV_TYPES.some((t) => type.startsWith(t))) return Promise.resolve(body);
  if (!type.startsWith('multipart/form-data')) {
    throw new UnsupportedMediaTypeException(
      'send the CSV as a text/csv body or as a multipart/form-data file',
    );
  }
  const unreadable = (e: Error) =>
    new BadRequestException(`the multipart form could not be read: ${e.message}`);
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: IMPORT_MAX_BYTES + 1 } });
    } catch (e) {
      return reject(unreadable(e as Error)); // no boundary, say
    }
    let found = false;
    bb.on('file', (_name, file) => {
      found = true;
      // A form cut short fails the file stream, possibly before the import
      // listens to it: the failure is kept on `csv` (a 400 for the import), never thrown unheard.
      const csv = new PassThrough();
      csv.on('error', () => undefined);
      file.on('error', (e: Error) => csv.destroy(unreadable(e)));
      file.pipe(csv);
      resolve(csv);
    });
    bb.on('error', (e) => reject(unreadable(e as Error)));
    bb.on('finish', () => {
      if (!found) reject(new UnsupportedMediaTypeException('the multipart form has no file'));
    });
    body.pipe(bb);
  });
}
