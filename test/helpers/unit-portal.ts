// Signing in to the unit portal in tests: an access code, a session cookie, request helpers.
import { issueAccessCode } from '../../src/auth/codes.ts';
import { TEST_BASE_URL, type TestContext } from './app.ts';

/** What a browser adds to every form POST from our own pages: the CSRF check (src/auth/csrf.ts) reads it. */
export const SAME_ORIGIN = { origin: new URL(TEST_BASE_URL).origin } as const;

export interface Session {
  code: string;
  codeId: number;
  cookie: string;
  /** A request with the session cookie. */
  page(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST (urlencoded) with the session cookie. */
  post(path: string, fields: Record<string, string>): Promise<Response>;
  /** A JSON API request with the code as Bearer token. */
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

export async function signIn(t: TestContext, unitCode: string, opts: { leader?: boolean } = {}): Promise<Session> {
  const issued = await issueAccessCode(t.db, { unitCode, leader: opts.leader, label: 'test' });
  const res = await t.app.request('/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
    body: new URLSearchParams({ code: issued.code, next: '/unit' }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return {
    code: issued.code,
    codeId: issued.id,
    cookie,
    page: async (path, init = {}) => t.app.request(path, { ...init, headers: { ...SAME_ORIGIN, ...(init.headers as Record<string, string>), cookie } }),
    post: async (path, fields) =>
      t.app.request(path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
        body: new URLSearchParams(fields).toString(),
      }),
    api: async (path, init = {}) =>
      t.app.request(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${issued.code}`, 'content-type': 'application/json', ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The JSON API as one unit (a fresh Bearer code): GET without a body, POST with one; status and parsed body. */
export async function apiAs(t: TestContext, unitCode: string) {
  const { code } = await issueAccessCode(t.db, { unitCode });
  return async (path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await t.app.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
}
