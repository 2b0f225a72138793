import { Readable } from 'node:stream';
import { crlfToLf } from './csv';

const through = async (chunks: string[]) => {
  let out = '';
  for await (const c of Readable.from(chunks.map((s) => Buffer.from(s))).pipe(crlfToLf()))
    out += String(c);
  return out;
};

describe('crlfToLf', () => {
  it('rewrites CRLF as LF, also when a chunk ends between CR and LF', async () => {
    expect(await through(['a,"b\r\nc"\r\n', 'd\r', '\ne\r\n'])).toBe('a,"b\nc"\nd\ne\n');
  });

  it('keeps a CR that no LF follows, even at the very end', async () => {
    expect(await through(['a\rb\r', 'c\r'])).toBe('a\rb\rc\r');
  });
});
