// Helpers for the public-forms tests: fetch a page's one-time token, post a browser form, capture logs.
import type { Logger } from '../../src/deps.ts';
import type { TestContext } from './app.ts';

export async function pageToken(t: TestContext, path: string): Promise<string> {
  const res = await t.app.request(path);
  const html = await res.text();
  const m = /name="_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no token on ${path}`);
  return m[1]!;
}

/** Posts like a browser: urlencoded, or multipart when files are given. */
export function postForm(t: TestContext, path: string, fields: Record<string, string | string[]>, opts: { files?: Record<string, Blob>; headers?: Record<string, string> } = {}) {
  let body: BodyInit;
  if (opts.files) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
    for (const [k, v] of Object.entries(opts.files)) fd.append(k, v, 'photo.bin');
    body = fd;
  } else {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    body = p;
  }
  return t.app.request(path, { method: 'POST', body, headers: opts.headers });
}

export function postJson(t: TestContext, path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, message, ...fields }));
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

export const VALID = {
  'mass-feedback': { satisfaction: 'satisfied', aware: 'yes', participated: 'no', opinion: '希望多开展巡逻' },
  'hazard-tip': { category: 'rental-housing', place: '中山东路12号出租屋', description: '楼道堆满杂物，堵住了消防通道' },
  'deputy-suggestion': { identity: 'cppcc-member', name: '钱七', delegation: '教育界', subject: '校园周边治安', suggestion: '建议上下学时段增加警力巡逻。', phone: '13712345678' },
} as const;
