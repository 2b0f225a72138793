/* eslint-disable @typescript-eslint/no-explicit-any -- answers are arbitrary JSON that each test reads through its own assertions */
export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small fetch client for API tests: real HTTP to the app under test. */
export function client(baseUrl: string) {
  const call = async <T = any>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Res<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return {
    get: <T = any>(path: string, token?: string, headers?: Record<string, string>) =>
      call<T>('GET', path, { token, headers }),
    post: <T = any>(
      path: string,
      body?: unknown,
      token?: string,
      headers?: Record<string, string>,
    ) => call<T>('POST', path, { token, body, headers }),
    put: <T = any>(path: string, body: unknown, token?: string) =>
      call<T>('PUT', path, { token, body }),
    patch: <T = any>(path: string, body: unknown, token?: string) =>
      call<T>('PATCH', path, { token, body }),
    delete: <T = any>(path: string, token?: string) => call<T>('DELETE', path, { token }),
    call,
  };
}

export type Client = ReturnType<typeof client>;

/** The body of an answer that must have `status`: anything else is a broken fixture, never a result. */
export function bodyOf<T = any>(res: Res<T>, status: number): T {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
