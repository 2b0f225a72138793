import { PassThrough, type Readable } from 'node:stream';
import {
  BadRequestException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IMPORT_MAX_BYTES } from '@acc/contracts';
import { spoolBody } from '../common/spooled-body';
import type { Env } from '../config/env';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];

/**
 * Leaves CSV and multipart bodies unread: the body is the stream itself
 * (decoded when sent with a Content-Encoding), for the import to receive
 * (receiveCsv); any other route given such a body fails validation.
 */
export function acceptCsvUploads(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser([...CSV_TYPES, 'multipart/form-data'], (_req, payload, done) =>
    done(null, payload),
  );
}

/** How slow an upload may be (UPLOAD_IDLE_TIMEOUT_MS, UPLOAD_MIN_BYTES_PER_SECOND). */
export interface UploadPace {
  idleTimeoutMs: number;
  minBytesPerSecond: number;
}

export function uploadPace(config: ConfigService<Env, true>): UploadPace {
  return {
    idleTimeoutMs: config.get('UPLOAD_IDLE_TIMEOUT_MS', { infer: true }),
    minBytesPerSecond: config.get('UPLOAD_MIN_BYTES_PER_SECOND', { infer: true }),
  };
}

/** Room for a multipart form's boundaries and part headers around a file of the full size. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = () =>
  new PayloadTooLargeException(`the CSV is larger than ${IMPORT_MAX_BYTES} bytes`);

/**
 * The CSV of an import, received whole first (spoolBody): the body itself
 * (text/csv) or the first file of a multipart form. What the request says
 * about itself is checked before a byte is read.
 */
export async function receiveCsv(
  request: FastifyRequest,
  reply: FastifyReply,
  pace: UploadPace,
): Promise<CsvUpload> {
  const req = request.raw;
  const declared = Number(req.headers['content-length'] ?? 0);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  if (!multipart && !CSV_TYPES.some((t) => type.startsWith(t))) {
    throw new UnsupportedMediaTypeException(
      'send the CSV as a text/csv body or as a multipart/form-data file',
    );
  }
  const maxBytes = IMPORT_MAX_BYTES + (multipart ? FORM_OVERHEAD_BYTES : 0);
  if (declared > maxBytes) throw tooLarge();
  const body = await spoolBody(request.body as Readable, reply.raw, {
    maxBytes,
    tooLarge,
    ...pace,
  });
  return {
    open: () => (multipart ? formFile(req.headers, body.open()) : Promise.resolve(body.open())),
    discard: () => body.discard(),
  };
}

export interface CsvUpload {
  open(): Promise<Readable>;
  discard(): Promise<void>;
}

/** The first file of a multipart form, as a stream; a form that cannot be read is a 400. */
function formFile(headers: IncomingHttpHeaders, form: Readable): Promise<Readable> {
  const unreadable = (e: Error) =>
    new BadRequestException(`the multipart form could not be read: ${e.message}`);
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers, limits: { files: 1, fileSize: IMPORT_MAX_BYTES + 1 } });
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
    form.pipe(bb);
  });
}
