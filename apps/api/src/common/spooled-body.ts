import { randomUUID } from 'node:crypto';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RequestTimeoutException } from '@nestjs/common';

/** Bodies up to this size stay in memory; larger ones go to a temporary file. */
const IN_MEMORY_BYTES = 1024 * 1024;

export interface SpoolLimits {
  maxBytes: number;
  /** what to answer past maxBytes */
  tooLarge: () => Error;
  /** the longest time without a byte */
  idleTimeoutMs: number;
  /** past the first idleTimeoutMs, the slowest average rate accepted */
  minBytesPerSecond: number;
}

/** A request body received whole, to be read (once or more) after the client is done. */
export interface SpooledBody {
  bytes: number;
  open(): Readable;
  discard(): Promise<void>;
}

/**
 * Receives a whole request body before anything acts on it, so that the
 * work (and the database connection it takes) never waits on the client,
 * and whatever the work refuses is answered after the client has sent
 * everything: an answer sent mid-body is often lost to a reset.
 *
 * A client that sends nothing for idleTimeoutMs, or on average less than
 * minBytesPerSecond, is answered 408; one past maxBytes, tooLarge(). Either
 * answer closes the connection. The request stream is never destroyed
 * here: that would take the socket, and the answer, with it.
 */
export function spoolBody(
  body: Readable,
  res: ServerResponse,
  limits: SpoolLimits,
): Promise<SpooledBody> {
  return new Promise<SpooledBody>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let file: TempFile | undefined;
    let writes: Promise<unknown> = Promise.resolve();
    let settled = false;
    const started = Date.now();
    let lastByteAt = started;

    const stop = () => {
      settled = true;
      clearInterval(watchdog);
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('close', onClose);
    };
    const fail = (e: Error) => {
      if (settled) return;
      stop();
      // the rest of the body is read and dropped until the answer closes the connection
      res.setHeader('Connection', 'close');
      body.on('error', () => undefined);
      body.resume();
      void writes.finally(() => file?.discard());
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      lastByteAt = Date.now();
      bytes += chunk.length;
      if (bytes > limits.maxBytes) return fail(limits.tooLarge());
      if (!file && bytes <= IN_MEMORY_BYTES) {
        chunks.push(chunk);
        return;
      }
      body.pause();
      writes = writes
        .then(async () => {
          if (!file) {
            file = await TempFile.create();
            for (const c of chunks.splice(0)) await file.write(c);
          }
          await file.write(chunk);
          if (!settled) body.resume();
        })
        .catch(fail);
    };
    const onEnd = () => {
      void writes.then(() => {
        if (settled) return;
        stop();
        resolve(file ? file.body(bytes) : inMemory(chunks, bytes));
      });
    };
    const onClose = () => {
      // 'end' comes first when the body arrived whole
      if (!body.readableEnded)
        fail(new Error('the client closed the connection during the upload'));
    };
    const watchdog = setInterval(
      () => {
        const now = Date.now();
        if (now - lastByteAt >= limits.idleTimeoutMs)
          return fail(
            new RequestTimeoutException(
              `the upload sent nothing for ${limits.idleTimeoutMs / 1000} s`,
            ),
          );
        const elapsed = now - started;
        if (elapsed >= limits.idleTimeoutMs && (bytes * 1000) / elapsed < limits.minBytesPerSecond)
          fail(
            new RequestTimeoutException(
              `the upload is too slow: under ${limits.minBytesPerSecond} bytes a second`,
            ),
          );
      },
      Math.min(1_000, limits.idleTimeoutMs),
    );
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('close', onClose);
    body.on('error', fail);
    // a 'data' listener does not start a stream paused on purpose (a decompressing one is)
    body.resume();
  });
}

function inMemory(chunks: Buffer[], bytes: number): SpooledBody {
  return {
    bytes,
    open: () => Readable.from(chunks, { objectMode: false }),
    discard: async () => {
      chunks.length = 0;
    },
  };
}

/** A file only this process can read, gone from the directory as soon as it is open where the system allows. */
class TempFile {
  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string | undefined,
  ) {}

  static async create(): Promise<TempFile> {
    const path = join(tmpdir(), `acc-upload-${randomUUID()}`);
    const handle = await open(path, 'wx+', 0o600);
    // unlinked while open (POSIX): the space is freed when the handle closes, even after a crash
    const unlinked = await unlink(path).then(
      () => true,
      () => false,
    );
    return new TempFile(handle, unlinked ? undefined : path);
  }

  async write(chunk: Buffer): Promise<void> {
    await this.handle.write(chunk);
  }

  body(bytes: number): SpooledBody {
    return {
      bytes,
      open: () => this.handle.createReadStream({ start: 0, autoClose: false }),
      discard: () => this.discard(),
    };
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    if (this.path) await unlink(this.path).catch(() => undefined);
  }
}
