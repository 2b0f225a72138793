import { Socket, connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the connection closed before a whole status line and headers arrived */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** how the connection ended: the server closed it, or reset it (ECONNRESET) */
  ended: 'closed' | 'reset';
}

/**
 * One HTTP/1.1 request over a plain socket, read as it arrives: unlike
 * fetch, it tells an answer the server wrote before a reset from the reset
 * itself, and it may send the body slowly or not read at all.
 */
export function rawRequest(
  baseUrl: string,
  opts: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<RawAnswer> {
  const { socket, answer } = openRaw(baseUrl, opts.method, opts.path, {
    ...opts.headers,
    ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
  });
  if (opts.body !== undefined) socket.write(opts.body);
  return answer;
}

/**
 * Writes the request line and headers; the caller writes the body (or not)
 * on `socket`. `answer` settles when the connection ends: the whole answer
 * has arrived once the server closes (every request here says Connection: close).
 */
export function openRaw(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): { socket: Socket; answer: Promise<RawAnswer> } {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: ${url.host}`,
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  socket.write(head);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const answer = new Promise<RawAnswer>((resolve) => {
    let ended: RawAnswer['ended'] = 'closed';
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') ended = 'reset';
    });
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('utf8'), ended)));
  });
  return { socket, answer };
}

function parse(text: string, ended: RawAnswer['ended']): RawAnswer {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return { status: 0, headers: {}, body: '', ended };
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
    }),
  );
  let body = text.slice(split + 4);
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body, ended };
}

function unchunk(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const eol = s.indexOf('\r\n', i);
    if (eol < 0) return out;
    const size = parseInt(s.slice(i, eol), 16);
    if (!size) return out;
    out += s.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
}

/** The JSON of an answer, or its raw text when it is not JSON. */
export function jsonOf(a: RawAnswer): unknown {
  try {
    return JSON.parse(a.body);
  } catch {
    return a.body;
  }
}
