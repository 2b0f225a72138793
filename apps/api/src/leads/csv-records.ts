import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { CsvError, type Options as CsvOptions, parse } from 'csv-parse';
import { IMPORT_MAX_BYTES } from '@acc/contracts';
import { crlfToLf } from './csv';

const MAX_RECORD_BYTES = 64_000;

export interface CsvSink {
  /** each record with the line it starts on; awaited, so the file is read no faster than used */
  record(cells: string[], line: number): Promise<void> | void;
  /** a record that cannot be read, skipped */
  unreadable(line: number, reason: string): void;
}

/**
 * Streams a CSV body into `sink` record by record, never holding the file:
 * bounded by the import limit, CRLF read as LF, each record numbered by the
 * line it starts on. A record csv-parse cannot read costs that record only
 * (in practice a quote never closed, which runs to the end of the file); one
 * over the size limit stops the file with a 400, as does any parser error.
 */
export async function readCsv(source: Readable, sink: CsvSink): Promise<void> {
  // csv-parse counts the line a record ends on; a record is reported by the
  // line it starts on: the line after the previous record's, plus the empty lines between.
  let lastEnd = 0;
  let lastEmpty = 0;
  const startLine = (info: { lines: number; empty_lines: number }) => {
    const line = lastEnd + 1 + info.empty_lines - lastEmpty;
    lastEnd = info.lines;
    lastEmpty = info.empty_lines;
    return line;
  };
  const options: CsvOptions<{ record: string[]; line: number }, string[]> = {
    bom: true,
    relax_column_count: true,
    // `John "Johnny" Smith` unquoted is common: its quotes are kept as text
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (record: string[], info) => ({ record, line: startLine(info) }),
    skip_records_with_error: true,
    on_skip: (err) => {
      const line = startLine(err as unknown as { lines: number; empty_lines: number });
      if (err?.code === 'CSV_MAX_RECORD_SIZE') {
        throw new BadRequestException(
          `the CSV could not be read: the record starting on line ${line} is longer than ${MAX_RECORD_BYTES} bytes (a quote left open?)`,
        );
      }
      sink.unreadable(
        line,
        err?.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quote opened here is never closed (lines ${line}-${lastEnd} were skipped)`
          : `the row could not be read: ${err?.message}`,
      );
      return undefined;
    },
  };
  // csv-parse types what on_record returns only for parsers with `columns`
  const parser = parse(options as unknown as CsvOptions);
  // The sink's own error (a 400, a 409, the database gone): leaving the loop
  // with it destroys the parser, and pipeline then reports that as an
  // AbortError instead.
  let sinkFailure: { error: unknown } | undefined;
  const consume = async (records: AsyncIterable<{ record: string[]; line: number }>) => {
    try {
      for await (const { record, line } of records) await sink.record(record, line);
    } catch (e) {
      sinkFailure = { error: e };
      throw e;
    }
  };
  try {
    await pipeline(source, byteLimit(IMPORT_MAX_BYTES), textOnly(), crlfToLf(), parser, consume);
  } catch (e) {
    if (sinkFailure) throw sinkFailure.error;
    // whatever csv-parse cannot read is the file's fault, never a 500
    if (e instanceof CsvError)
      throw new BadRequestException(`the CSV could not be read: ${e.message}`);
    throw e;
  }
}

/**
 * Refuses a file whose first line has a NUL byte: no CSV header has one,
 * while binary files (a spreadsheet, an image) and UTF-16 text do at once.
 * (A NUL further down costs its row only: lead-row.)
 */
function textOnly(): Transform {
  let header = true;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (header) {
        const eol = chunk.indexOf(10);
        if ((eol < 0 ? chunk : chunk.subarray(0, eol)).includes(0))
          return cb(
            new BadRequestException(
              'the file is not CSV text: it contains NUL bytes (a binary file, or text saved as UTF-16)',
            ),
          );
        header = eol < 0;
      }
      cb(null, chunk);
    },
  });
}

/** Counts bytes as they pass and stops the stream past the limit. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new PayloadTooLargeException(`the CSV is larger than ${max} bytes`));
      else cb(null, chunk);
    },
  });
}
