import { Readable } from 'node:stream';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { readCsv } from './csv-records';

/** The import's first part on its own: bytes in, records numbered by the line they start on. */
async function read(text: string | Buffer) {
  const records: Array<[number, string[]]> = [];
  const unreadable: Array<[number, string]> = [];
  await readCsv(Readable.from([Buffer.from(text)]), {
    record: (cells, line) => void records.push([line, cells]),
    unreadable: (line, reason) => void unreadable.push([line, reason]),
  });
  return { records, unreadable };
}

describe('readCsv', () => {
  it('numbers each record by the line it starts on, past empty lines and quoted line breaks', async () => {
    const { records } = await read('phone,note\r\n+1,"two\r\nlines"\n\n+2,x\n');
    expect(records).toEqual([
      [1, ['phone', 'note']],
      [2, ['+1', 'two\nlines']],
      [5, ['+2', 'x']],
    ]);
  });

  it('reports a quote never closed as one unreadable record and goes on', async () => {
    const { records, unreadable } = await read('phone,note\n+1,ok\n+2,"open\n+3,x\n');
    expect(records).toEqual([
      [1, ['phone', 'note']],
      [2, ['+1', 'ok']],
    ]);
    expect(unreadable).toEqual([[3, expect.stringMatching(/never closed \(lines 3-4/)]]);
  });

  it('keeps quotes inside an unquoted cell as text, and drops a byte order mark', async () => {
    const { records } = await read('\ufeffname\nJohn "Johnny" Smith\n');
    expect(records).toEqual([
      [1, ['name']],
      [2, ['John "Johnny" Smith']],
    ]);
  });

  it('stops at a record over 64 kB with a 400 naming its line', async () => {
    await expect(read(`a\n"${'x'.repeat(70_000)}\n`)).rejects.toThrow(BadRequestException);
  });

  it('stops past the import limit with a 413', async () => {
    // 1 MB chunks of 50 kB records: few records, so the parser's work stays small
    const chunk = Buffer.from(`${'x'.repeat(49_999)}\n`.repeat(20));
    const big = Readable.from(
      (function* () {
        for (let i = 0; i < 30; i++) yield chunk;
      })(),
    );
    await expect(
      readCsv(big, { record: () => undefined, unreadable: () => undefined }),
    ).rejects.toThrow(PayloadTooLargeException);
  });
});
