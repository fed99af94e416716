// Bad input on every route of the app: malformed bodies, wrong types, oversize, invalid UTF-8, injection,
// traversal, impossible dates, forged and revoked credentials — a clear 4xx, never a 500, nothing stored.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { serializeSigned } from 'hono/utils/cookie';
import { handIns, hazards, sessions, submissions } from '../../../src/db/schema.ts';
import { revokeAccessCode, issueAccessCode } from '../../../src/auth/codes.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { createChannel } from '../../../src/notifications/channels.ts';
import { SESSION_MAX_AGE_MS } from '../../../src/auth/sessions.ts';
import { randomToken, sha256Hex } from '../../../src/lib/crypto.ts';
import { SAME_ORIGIN } from '../../helpers/unit-portal.ts';

/** The session cookie /signin sets for a code, started at `at` (src/auth/middleware.ts startSession). */
async function sessionCookie(t: TestContext, codeId: number, at: Date, secret = t.deps.config.SESSION_SECRET): Promise<string> {
  // A row as createSession writes it, dated `at` (createSession itself would forget sessions older than `at`).
  const id = randomToken(32);
  const start = at.getTime();
  await t.db.insert(sessions).values({ idHash: await sha256Hex(id), codeId, createdAt: start, lastSeenAt: start, expiresAt: start + SESSION_MAX_AGE_MS });
  return (await serializeSigned('pingan_session', id, secret)).split(';')[0]!;
}

/** A signed-in code without the sign-in round trip: the same cookie /signin sets. */
interface Session {
  code: string;
  codeId: number;
  cookie: string;
  page(path: string, init?: RequestInit): Promise<Response>;
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

async function session(t: TestContext, unitCode: string, opts: { leader?: boolean } = {}): Promise<Session> {
  const issued = await issueAccessCode(t.db, { unitCode, leader: opts.leader, label: 'test', now: t.deps.now() });
  const cookie = await sessionCookie(t, issued.id, t.deps.now());
  return {
    code: issued.code,
    codeId: issued.id,
    cookie,
    page: async (path, init = {}) => t.app.request(path, { ...init, headers: { ...SAME_ORIGIN, ...(init.headers as Record<string, string>), cookie } }),
    api: async (path, init = {}) =>
      t.app.request(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${issued.code}`, 'content-type': 'application/json', 'cf-connecting-ip': freshIp(), ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
  };
}

// ---- what is stored ---------------------------------------------------------------------------

/** Tables a bad request must leave exactly as they were (rows and values). sign_in_failures is meant to grow. */
const WATCHED = [
  'submissions',
  'submission_personal',
  'submission_audit',
  'form_tokens',
  'hazards',
  'hazard_co_units',
  'hazard_events',
  'sheet_outbox',
  'access_codes',
  'cadres',
  'ranking_snapshots',
] as const;

async function snapshot(t: TestContext): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of WATCHED) {
    const rows = (await t.db.all(sql.raw(`select * from ${table} order by rowid`))) as Record<string, unknown>[];
    // A first use of a valid code stamps last_used_at; that is bookkeeping, not stored input.
    out[table] = table === 'access_codes' ? rows.map(({ last_used_at: _, ...r }) => r) : rows;
  }
  return out;
}

const counts = (s: Record<string, unknown[]>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.length]));

// ---- the attacks ------------------------------------------------------------------------------

const SQLI = "'); DROP TABLE submissions;--";
const XSS = '<script>alert(1)</script>';
const FORMULA = '=HYPERLINK("http://x")';
const IMPOSSIBLE_DAYS = ['2014-02-30', '2014-13-01', '99999-01-01'];
const CJK = /[\u4e00-\u9fff]/;

/** Ids that must never find anything: traversal, encodings, overflow, injection. */
const BAD_IDS = [
  '..%2f..%2fetc%2fpasswd',
  '..%2F',
  // A bare %2e%2e segment is a dot segment to the URL standard: resolved before routing, it never reaches a handler.
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%2e%2e.svg',
  '..%5c..%5cwindows%5cwin.ini',
  '%00',
  'x%00.svg',
  encodeURIComponent(SQLI),
  encodeURIComponent(XSS),
  '-1',
  '1e3',
  '99999999999999999999999',
  'a'.repeat(5000),
];

interface BodyAttack {
  name: string;
  contentType?: string;
  body: BodyInit;
}

const MB = 1024 * 1024;
const invalidUtf8Json = new Uint8Array([...new TextEncoder().encode('{"place":"'), 0xff, 0xfe, 0xc3, 0x28, ...new TextEncoder().encode('"}')]);
const invalidUtf8Form = new Uint8Array([...new TextEncoder().encode('place='), 0xff, 0xfe, 0xc3, 0x28, ...new TextEncoder().encode('&action=')]);

const BODY_ATTACKS: BodyAttack[] = [
  { name: 'malformed JSON', contentType: 'application/json', body: '{"category": "fire", "place": ' },
  { name: 'JSON with a trailing comma', contentType: 'application/json', body: '{"action":"assign",}' },
  { name: 'empty JSON body', contentType: 'application/json', body: '' },
  { name: 'JSON null', contentType: 'application/json', body: 'null' },
  { name: 'JSON array', contentType: 'application/json', body: '[{"action":"assign"}]' },
  { name: 'JSON string', contentType: 'application/json', body: '"hello"' },
  { name: 'JSON number', contentType: 'application/json', body: '42' },
  { name: 'deeply nested JSON', contentType: 'application/json', body: '{"a":' + '['.repeat(20000) + ']'.repeat(20000) + '}' },
  { name: 'prototype pollution', contentType: 'application/json', body: '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}' },
  { name: 'wrong types', contentType: 'application/json', body: JSON.stringify({ action: 123, unit: ['office'], fixed: 'maybe', place: { $gt: '' }, category: null, name: 5, role: [] }) },
  { name: 'JSON sent as text/plain', contentType: 'text/plain', body: '{"action":"assign"}' },
  { name: 'XML', contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
  { name: 'no content type', body: 'action=assign&place=x' },
  { name: 'multipart with a broken boundary', contentType: 'multipart/form-data; boundary=zzz', body: '--zzz\r\nContent-Disposition: form-data; name="place"\r\n\r\nabc\r\n--zz' },
  { name: 'multipart without boundary', contentType: 'multipart/form-data', body: 'garbage' },
  { name: 'multipart part without Content-Disposition', contentType: 'multipart/form-data; boundary=zzz', body: '--zzz\r\nX: y\r\n\r\nabc\r\n--zzz--\r\n' },
  { name: 'urlencoded with broken escapes', contentType: 'application/x-www-form-urlencoded', body: 'place=%E4%B8&action=%ZZ&code=%' },
  { name: 'invalid UTF-8 in JSON', contentType: 'application/json; charset=utf-8', body: invalidUtf8Json },
  { name: 'invalid UTF-8 in a form', contentType: 'application/x-www-form-urlencoded; charset=utf-8', body: invalidUtf8Form },
  { name: '2 MB JSON', contentType: 'application/json', body: JSON.stringify({ place: 'x'.repeat(2 * MB) }) },
  { name: '2 MB form', contentType: 'application/x-www-form-urlencoded', body: 'place=' + 'x'.repeat(2 * MB) },
  { name: '9 MB body', contentType: 'application/json', body: '{"note":"' + 'x'.repeat(9 * MB) + '"}' },
  { name: '5000 unknown JSON fields', contentType: 'application/json', body: JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`zz${i}`, 'x']))) },
  { name: '5000 unknown form fields', contentType: 'application/x-www-form-urlencoded', body: Array.from({ length: 5000 }, (_, i) => `zz${i}=x`).join('&') },
  { name: 'injection strings in every key', contentType: 'application/json', body: JSON.stringify({ [SQLI]: XSS, [XSS]: FORMULA, action: SQLI, unit: XSS, code: FORMULA, date: SQLI }) },
  { name: 'impossible dates', contentType: 'application/json', body: JSON.stringify({ date: '2014-02-30', day: '2014-13-01', deadline: '99999-01-01', visitDate: '2014-02-30', noticedOn: '2014-13-01' }) },
  { name: 'impossible dates in a form', contentType: 'application/x-www-form-urlencoded', body: 'date=2014-02-30&deadline=2014-13-01&action=assign&leadUnit=chencang&visitDate=99999-01-01' },
];

/** Query strings that a GET must survive: never a 500, never reflected unescaped, never an open redirect. */
const BAD_QUERY = new URLSearchParams({
  u: XSS,
  next: '//evil.example/x',
  date: '2014-02-30',
  day: '2014-13-01',
  status: SQLI,
  group: FORMULA,
  unit: '../office',
  edit: '..%2f1',
  code: XSS,
  saved: XSS,
  done: XSS,
  revoked: XSS,
  returned: XSS,
  feedback: XSS,
  limit: '-99999999999',
  offset: 'NaN',
  slogan: '1e309',
  closed: XSS,
}).toString();

// ---- routes -----------------------------------------------------------------------------------

type Auth = 'none' | 'admin' | 'unit' | 'leader';

/** Who may call a route, from its prefix (the app's own layout of areas). */
function authOf(path: string): Auth {
  if (path.startsWith('/api/v1/admin/') || path.startsWith('/admin/') || path.startsWith('/hazards/')) return 'admin';
  if (path.startsWith('/api/v1/unit/') || path === '/unit' || path.startsWith('/unit/')) return 'unit';
  if (path.startsWith('/leader') || path.startsWith('/api/v1/rankings')) return 'leader';
  return 'none';
}

const isApi = (path: string) => path.startsWith('/api/') || path === '/healthz';
const writes = (method: string) => method !== 'GET' && method !== 'HEAD';

/**
 * Routes whose handler reads no body: sign-out, revoke and delete act on the id alone, so a "bad body"
 * with a real id is a good request. Their ids and credentials are still attacked.
 */
const BODY_IGNORED = new Set([
  'POST /signout',
  'POST /admin/access/:id/revoke',
  'POST /api/v1/admin/access-codes/:id/revoke',
  'POST /unit/forms/:formId/:id/delete',
  'DELETE /api/v1/unit/forms/:formId/submissions/:id',
  'DELETE /api/v1/admin/channels/:id',
  'POST /api/v1/admin/channels/:id/test',
  'POST /admin/notifications/channels/:id/delete',
  'POST /admin/notifications/channels/:id/test',
  'POST /unit/notifications/channels/:id/delete',
  'POST /unit/notifications/channels/:id/test',
  'DELETE /api/v1/admin/records/:id/contact',
  'POST /admin/records/:id/forget-contact',
  'POST /api/v1/unit/hand-ins/:deadlineId',
  'POST /unit/hand-ins/:deadlineId',
  'POST /api/v1/admin/visit-flags/:id/clear',
  'POST /admin/visit-flags/:id/clear',
]);

/**
 * The tipster's feedback form is posted by a browser without JavaScript; a bad form answers 303 back to
 * the receipt page with the reason in ?feedback=… (the page shows it in Chinese) — the designed answer.
 */
const FORM_REDIRECTS_BACK = new Set(['POST /api/v1/receipts/:receipt/feedback']);

interface Fixture {
  t: TestContext;
  admin: Session;
  unit: Session;
  leader: Session;
  /** A code of another town, for "wrong unit" requests. */
  otherUnit: Session;
  revokedCode: string;
  revokedCookie: string;
  ids: { hazard: number; receipt: string; record: number; cadre: number; spareCode: number; suggestion: number; channel: number; handIn: number };
}

const VALID_TIP = { category: 'fire', place: '陈仓示范村一村委会旁出租屋', description: '楼道堆放杂物，消防通道被堵', noticedOn: '2014-11-03' };

async function fixture(): Promise<Fixture> {
  const t = await makeTestApp();
  const [admin, unit, leader, otherUnit] = [await session(t, 'office'), await session(t, 'chencang'), await session(t, 'office', { leader: true }), await session(t, 'jinhe')];
  const revoked = await session(t, 'chencang');
  await revokeAccessCode(t.db, revoked.codeId, t.deps.now());

  const tip = await t.app.request('/api/v1/forms/hazard-tip/submissions?u=chencang-v1', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(VALID_TIP),
  });
  expect(tip.status).toBe(201);
  const { receipt, id: tipId } = (await tip.json()) as { receipt: string; id: number };
  const hazard = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tipId) });
  expect(hazard).toBeTruthy();
  const assigned = await admin.api(`/api/v1/admin/hazards/${hazard!.id}/transitions`, { body: { action: 'assign', leadUnit: 'chencang', deadline: '2014-11-10' } });
  expect(assigned.status).toBe(200);

  const cadres = (await (await unit.api('/api/v1/unit/cadres')).json()) as { id: number }[];
  const record = await unit.api('/api/v1/unit/forms/household-visit/submissions', {
    body: {
      cadre: cadres[0]!.id,
      visitDate: '2014-11-04',
      place: 'chencang-v1',
      householdHead: '张三',
      address: '3组15号',
      almanac: true,
      aware: true,
      participated: false,
      satisfaction: 'satisfied',
    },
  });
  expect(record.status).toBe(201);
  const spare = await issueAccessCode(t.db, { unitCode: 'jinhe', label: 'spare' });
  const suggestion = await t.app.request('/api/v1/forms/deputy-suggestion/submissions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: 'npc-deputy', name: '钱七', delegation: '教育界', subject: '校园周边治安', suggestion: '建议上下学时段增加警力巡逻。', phone: '13712345678' }),
  });
  expect(suggestion.status).toBe(201);
  const channel = await createChannel(t.deps, { role: 'admin' }, { unit: 'chencang', kind: 'sms', phones: ['13800000001'] });
  const [handIn] = await t.db
    .insert(handIns)
    .values({ campaignId: 0, deadlineId: 'visit-summary', unitCode: 'chencang', formId: 'hazard-ledger', at: 0, day: '2014-11-04', late: false, rowCount: 0, snapshot: '{"title":"t","headers":[],"rows":[]}' })
    .returning({ id: handIns.id });
  return {
    t,
    admin,
    unit,
    leader,
    otherUnit,
    revokedCode: revoked.code,
    revokedCookie: revoked.cookie,
    ids: { hazard: hazard!.id, receipt, record: ((await record.json()) as { id: number }).id, cadre: cadres[0]!.id, spareCode: spare.id, suggestion: ((await suggestion.json()) as { id: number }).id, channel: channel.id, handIn: handIn!.id },
  };
}

/** The route template with real ids of the fixture, or with `bad` in the place of the one param named. */
function fill(template: string, f: Fixture, bad?: { param: string; value: string }): string {
  return template.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => {
    if (bad?.param === name) return bad.value;
    switch (name) {
      case 'formId':
        return template.includes('/unit/') ? 'household-visit' : 'hazard-tip';
      case 'receipt':
        return f.ids.receipt;
      case 'unitCode':
        return 'chencang-v1';
      case 'code':
        // A unit no other route's fixture relies on: the organisation's edit form may rename it.
        return 'xiashi-v2';
      case 'deadlineId':
        return 'hazard-ledger';
      case 'file':
        return 'hazard-tip.svg';
      case 'key':
        return 'hazard-tip/2014-11-04/AbCdEfGhJk.jpg';
      case 'hash':
        // A well-formed session hash that names no session.
        return 'a'.repeat(64);
      case 'id':
        if (template.includes('/access')) return String(f.ids.spareCode);
        if (template.includes('/hand-ins/')) return String(f.ids.handIn);
        if (template.includes('/visit-flags/')) return String(f.ids.record);
        if (template.includes('/channels/')) return String(f.ids.channel);
        if (template.includes('hazards')) return String(f.ids.hazard);
        if (template.includes('suggestions')) return String(f.ids.suggestion);
        if (template.includes('cadres')) return String(f.ids.cadre);
        if (template.includes('/forms/')) return String(f.ids.record);
        if (template.includes('/records/')) return String(f.ids.record);
        throw new Error(`no real id for :id in ${template}: add it to fill()`);
      default:
        throw new Error(`no real value for :${name} in ${template}: add it to fill()`);
    }
  });
}

let ipCounter = 0;
/** A fresh client address per request, so throttles and rate limits do not mask what a handler does. */
const freshIp = () => {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

function credentials(f: Fixture, who: Auth, path: string): Record<string, string> {
  if (who === 'none') return {};
  const s = who === 'admin' ? f.admin : who === 'unit' ? f.unit : f.leader;
  return isApi(path) ? { authorization: `Bearer ${s.code}` } : { cookie: s.cookie };
}

async function send(f: Fixture, method: string, path: string, headers: Record<string, string>, body?: BodyInit) {
  return f.t.app.request(path, { method, headers: { 'cf-connecting-ip': freshIp(), ...SAME_ORIGIN, ...headers }, body: writes(method) ? body : undefined });
}

/** A 4xx with a clear message: structured JSON with a Chinese message for /api, a Chinese alert on a page. */
async function unclear(res: Response, path: string): Promise<string | null> {
  if (res.status < 400 || res.status > 499) return `status ${res.status}`;
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (text.includes('    at ') || /\bstack\b|TypeError|SQLITE_/.test(text)) return `leaks internals: ${text.slice(0, 200)}`;
  if (isApi(path)) {
    if (!type.includes('application/json')) return `API answered ${type}`;
    let body: { error?: unknown; message?: unknown; errors?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return 'API answered invalid JSON';
    }
    if (typeof body.error !== 'string' || typeof body.message !== 'string' || !CJK.test(body.message)) return `unclear JSON ${text.slice(0, 200)}`;
    // One 422 for every route: VALIDATION_FAILED and the fields at fault.
    if (res.status === 422) {
      const fieldErrors = Array.isArray(body.errors) ? (body.errors as { field?: unknown; message?: unknown }[]) : [];
      if (body.error !== 'VALIDATION_FAILED') return `422 with error ${String(body.error)}, expected VALIDATION_FAILED`;
      if (fieldErrors.length === 0 || fieldErrors.some((e) => typeof e?.field !== 'string' || typeof e.message !== 'string' || e.message === '')) {
        return `422 without errors [{field, message}]: ${text.slice(0, 200)}`;
      }
    }
    return null;
  }
  if (!type.includes('text/html')) return `page answered ${type}`;
  if (!CJK.test(text) || !/role="alert"|class="err"/.test(text)) return `page without a Chinese alert: ${text.slice(0, 200)}`;
  return null;
}

const probe = await makeTestApp({ seed: false });
/** Every route the app serves (middleware-only entries apart), as "METHOD path". */
const ROUTES = [...new Set(probe.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];

describe('bad input on every route', () => {
  it('finds the routes of every area', () => {
    const paths = ROUTES.map((r) => r.split(' ')[1]);
    for (const p of ['/f/:formId', '/api/v1/forms/:formId/submissions', '/api/v1/receipts/:receipt', '/qr/:file', '/posters/:unitCode', '/signin', '/unit', '/admin/hazards/:id']) {
      expect(paths).toContain(p);
    }
  });

  it.each(ROUTES)('%s', async (route) => {
    const [method, template] = route.split(' ') as [string, string];
    const f = await fixture();
    const who = authOf(template);
    const path = fill(template, f);
    const problems: string[] = [];
    const before = await snapshot(f.t);

    const check = async (attack: string, res: Response, p: string, accept?: (res: Response) => boolean) => {
      if (res.status >= 500) problems.push(`${attack}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      else if (accept?.(res)) return;
      else {
        const why = await unclear(res, p);
        if (why) problems.push(`${attack}: ${why}`);
      }
    };

    // Forged, revoked and wrong-role credentials.
    if (who !== 'none') {
      const now = f.t.deps.now();
      const forgedCookie = await sessionCookie(f.t, f.admin.codeId, now, 'not-the-secret');
      const expiredCookie = await sessionCookie(f.t, f.admin.codeId, new Date(now.getTime() - 15 * 24 * 3600_000));
      const futureCookie = await sessionCookie(f.t, f.admin.codeId, new Date(now.getTime() + 24 * 3600_000));
      const undatedCookie = (await serializeSigned('pingan_session', `${f.admin.codeId}.abcdefgh`, f.t.deps.config.SESSION_SECRET)).split(';')[0]!;
      const sqlCookie = (await serializeSigned('pingan_session', "1 OR 1=1; --", f.t.deps.config.SESSION_SECRET)).split(';')[0]!;
      const nanCookie = (await serializeSigned('pingan_session', '../../etc/passwd', f.t.deps.config.SESSION_SECRET)).split(';')[0]!;
      const forged: [string, Record<string, string>][] = [
        ['no credentials', {}],
        ['forged Bearer code', { authorization: 'Bearer ABCD-EFGH-JKMN-PQRT' }],
        ['Bearer with SQL', { authorization: `Bearer ${SQLI}` }],
        ['empty Bearer', { authorization: 'Bearer ' }],
        ['Basic auth', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
        ['revoked Bearer code', { authorization: `Bearer ${f.revokedCode}` }],
        ['unsigned session cookie', { cookie: `pingan_session=${f.admin.codeId}.abc` }],
        ['cookie signed with another secret', { cookie: forgedCookie }],
        ['session of a revoked code', { cookie: f.revokedCookie }],
        ['session started 15 days ago', { cookie: expiredCookie }],
        ['session dated tomorrow', { cookie: futureCookie }],
        ['session without a start time', { cookie: undatedCookie }],
        ['signed cookie with SQL', { cookie: sqlCookie }],
        ['signed cookie with a path', { cookie: nanCookie }],
        ['session cookie of a revoked code with garbage appended', { cookie: `${f.revokedCookie}garbage` }],
      ];
      for (const [attack, headers] of forged) {
        const res = await send(f, method, path, headers, writes(method) ? '{}' : undefined);
        const signInRedirect = (r: Response) => !isApi(template) && method === 'GET' && r.status === 303 && (r.headers.get('location') ?? '').startsWith('/signin?next=');
        await check(attack, res, path, signInRedirect);
        if (!isApi(template) && method === 'GET' && !signInRedirect(res) && res.status < 500) problems.push(`${attack}: page GET not sent to sign-in (${res.status})`);
        if (isApi(template) && res.status !== 401 && res.status !== 429) problems.push(`${attack}: API answered ${res.status}, expected 401`);
      }
      // A code of the wrong role or unit: 403 (or, for a unit asking for another unit's hazard, 404).
      const wrong: [string, Session][] = [];
      if (who === 'admin' || who === 'leader') wrong.push(['unit code on an office route', f.unit]);
      if (who === 'unit' && writes(method)) wrong.push(['leader (read-only) code writing', f.leader]);
      if (who === 'unit' && template.includes('/:id')) wrong.push(['another town', f.otherUnit]);
      for (const [attack, s] of wrong) {
        const headers: Record<string, string> = isApi(template) ? { authorization: `Bearer ${s.code}`, 'content-type': 'application/json' } : { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' };
        const res = await send(f, method, path, headers, isApi(template) ? '{"action":"accept"}' : 'action=accept');
        await check(attack, res, path);
        if (![403, 404].includes(res.status)) problems.push(`${attack}: ${res.status}, expected 403/404`);
      }
    }

    const auth = credentials(f, who, template);

    // Traversal and junk in every id.
    for (const param of template.match(/:[A-Za-z]+/g)?.map((p) => p.slice(1)) ?? []) {
      for (const value of BAD_IDS) {
        const p = fill(template, f, { param, value });
        const headers = { ...auth, 'content-type': isApi(template) ? 'application/json' : 'application/x-www-form-urlencoded' };
        const res = await send(f, method, p, headers, isApi(template) ? '{"action":"accept","fixed":true}' : 'action=accept&fixed=yes');
        await check(`:${param} = ${value.slice(0, 40)}`, res, p);
      }
    }

    // Bad bodies.
    if (writes(method) && !BODY_IGNORED.has(route)) {
      for (const a of BODY_ATTACKS) {
        const headers: Record<string, string> = { ...auth };
        if (a.contentType) headers['content-type'] = a.contentType;
        const res = await send(f, method, path, headers, a.body);
        const back = (r: Response) =>
          FORM_REDIRECTS_BACK.has(route) && r.status === 303 && /^\/r\/[A-Z0-9]+\?feedback=(missing|closed)$/.test(r.headers.get('location') ?? '');
        await check(a.name, res, path, back);
        // Nothing takes more than a photo and its form: past that every route refuses by size.
        if (a.name === '9 MB body' && res.status !== 413) problems.push(`9 MB body: ${res.status}, expected 413`);
        // Anyone can post to a public route: an oversized body is refused by size, before it is parsed. (The hazard-tip
        // page takes a phone photo, so its cap is 8 MB; the 9 MB case is below.)
        if (who === 'none' && a.name.includes(' MB ') && route !== 'POST /f/:formId' && res.status !== 413) problems.push(`${a.name}: ${res.status}, expected 413 on a public route`);
      }
    }

    // Hostile query strings, on writes with a body that is not a valid request (revoke and delete act on the id alone).
    if (!BODY_IGNORED.has(route)) {
      const headers = writes(method) ? { ...auth, 'content-type': isApi(template) ? 'application/json' : 'application/x-www-form-urlencoded' } : auth;
      const res = await send(f, method, `${path}?${BAD_QUERY}`, headers, isApi(template) ? '{"zz":1}' : 'zz=1');
      if (res.status >= 500) problems.push(`bad query: ${res.status}`);
      else if (res.status >= 400) {
        const why = await unclear(res, path);
        if (why) problems.push(`bad query: ${why}`);
      } else if (res.status >= 300) {
        const location = res.headers.get('location') ?? '';
        if (!location.startsWith('/') || location.startsWith('//')) problems.push(`bad query: redirect off-site to ${location}`);
      } else {
        const text = await res.text();
        if (text.includes(XSS)) problems.push('bad query: reflected <script> unescaped');
      }
    }

    const after = await snapshot(f.t);
    expect(problems).toEqual([]);
    expect(counts(after)).toEqual(counts(before));
    expect(after).toEqual(before);
  });
});

// ---- focused cases --------------------------------------------------------------------------------

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp(), ...headers },
  body: JSON.stringify(body),
});

const urlencoded = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': freshIp(), ...SAME_ORIGIN, ...headers },
  body: new URLSearchParams(fields).toString(),
});

describe('impossible dates', () => {
  it.each(IMPOSSIBLE_DAYS)('a hazard tip noticed on %s is refused beside the field, through the API and the page', async (day) => {
    const f = await fixture();
    const before = await snapshot(f.t);
    const api = await f.t.app.request('/api/v1/forms/hazard-tip/submissions', json({ ...VALID_TIP, noticedOn: day }));
    expect(api.status).toBe(422);
    const body = (await api.json()) as { error: string; errors: { field: string; message: string }[] };
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.field)).toEqual(['noticedOn']);
    expect(body.errors[0]!.message).toMatch(CJK);

    const page = await f.t.app.request('/f/hazard-tip', urlencoded({ ...VALID_TIP, noticedOn: day }));
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toMatch(/<p class="err" id="f-noticedOn-err">[^<]*[\u4e00-\u9fff]/);
    expect(await snapshot(f.t)).toEqual(before);
  });

  it.each(IMPOSSIBLE_DAYS)('a household visit on %s, a list of day %s and a deadline of %s are refused', async (day) => {
    const f = await fixture();
    const before = await snapshot(f.t);
    const visit = await f.unit.api('/api/v1/unit/forms/household-visit/submissions', {
      body: { cadre: f.ids.cadre, visitDate: day, place: 'chencang-v1', householdHead: '李四', address: '1组1号', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(visit.status).toBe(422);
    expect(((await visit.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['visitDate']);

    const list = await f.unit.api(`/api/v1/unit/forms/household-visit/submissions?day=${day}`);
    expect(list.status).toBe(400);
    expect(((await list.json()) as { message: string }).message).toMatch(CJK);

    const rankings = await f.leader.api(`/api/v1/rankings?date=${day}`);
    expect(rankings.status).toBe(400);
    expect(((await rankings.json()) as { error: string }).error).toBe('BAD_DATE');

    const leaderPage = await f.leader.page(`/leader?date=${day}`);
    expect(leaderPage.status).toBe(400);
    expect(await leaderPage.text()).toContain('日期');

    const recompute = await f.t.app.request('/admin/rankings/recompute', urlencoded({ date: day }, { cookie: f.admin.cookie }));
    expect(recompute.status).toBe(400);

    const reassign = await f.admin.api(`/api/v1/admin/hazards/${f.ids.hazard}/transitions`, { body: { action: 'reassign', leadUnit: 'chencang', deadline: day } });
    expect([400, 422]).toContain(reassign.status);
    expect(((await reassign.json()) as { message: string }).message).toMatch(CJK);

    const page = await f.t.app.request(`/admin/hazards/${f.ids.hazard}/transitions`, urlencoded({ action: 'reassign', leadUnit: 'chencang', deadline: day }, { cookie: f.admin.cookie }));
    expect([400, 422]).toContain(page.status);
    expect(await page.text()).toMatch(/role="alert"/);
    expect(await snapshot(f.t)).toEqual(before);
  });
});

describe('injection strings that are valid answers', () => {
  it('are stored verbatim and rendered escaped on every page that shows them', async () => {
    const f = await fixture();
    const tip = await f.t.app.request(
      '/api/v1/forms/hazard-tip/submissions',
      json({ category: 'fire', place: SQLI, description: `${XSS} ${FORMULA}`, contactName: FORMULA.slice(0, 20) }),
    );
    expect(tip.status).toBe(201);
    const { id } = (await tip.json()) as { id: number };
    const row = await f.t.db.query.submissions.findFirst({ where: eq(submissions.id, id) });
    expect(JSON.parse(row!.payload)).toMatchObject({ place: SQLI, description: `${XSS} ${FORMULA}` });
    // The table the SQL string names is still there, with both submissions.
    expect(await f.t.db.$count(submissions)).toBe(4); // the fixture's tip, record and deputy suggestion, and this one
    const hazard = await f.t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) });
    expect(hazard!.place).toBe(SQLI);

    const page = await f.admin.page(`/admin/hazards/${hazard!.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)');
    expect(html).toContain('&#39;); DROP TABLE submissions;--');
    const list = await f.admin.page('/admin/hazards?status=all');
    expect(await list.text()).not.toContain(XSS);
  });

  it('in a unit record, a cadre name and an access-code label', async () => {
    const f = await fixture();
    const visit = await f.unit.api('/api/v1/unit/forms/household-visit/submissions', {
      body: { cadre: f.ids.cadre, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: XSS, address: SQLI, almanac: true, aware: true, participated: true, satisfaction: 'satisfied', opinions: FORMULA },
    });
    expect(visit.status).toBe(201);
    const { id } = (await visit.json()) as { id: number };
    const stored = await f.admin.api(`/api/v1/unit/forms/household-visit/submissions/${id}?unit=chencang`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ answers: { opinions: FORMULA }, personal: { householdHead: XSS, address: SQLI } });
    const officeView = await f.t.app.request('/unit/forms/household-visit?unit=chencang', { headers: { cookie: f.admin.cookie } });
    expect(officeView.status).toBe(200);
    const officeHtml = await officeView.text();
    expect(officeHtml).not.toContain(XSS);
    // The office sees personal data unmasked — escaped.
    expect(officeHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

    const cadre = await f.unit.api('/api/v1/unit/cadres', { body: { name: XSS, post: SQLI, role: 'cadre', assignedCode: 'chencang-v1' } });
    expect(cadre.status).toBe(201);
    const roster = await f.unit.page('/unit/cadres');
    expect(roster.status).toBe(200);
    const rosterHtml = await roster.text();
    expect(rosterHtml).not.toContain(XSS);
    expect(rosterHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rosterHtml).toContain('&#39;); DROP TABLE submissions;--');

    const issued = await f.t.app.request('/admin/access', urlencoded({ unit: 'jinhe', label: XSS }, { cookie: f.admin.cookie }));
    expect(issued.status).toBe(201);
    const codes = await f.admin.page('/admin/access');
    const html = await codes.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a public form page keeps a refused answer and escapes it in the re-rendered form', async () => {
    const f = await fixture();
    const res = await f.t.app.request('/f/hazard-tip', urlencoded({ category: 'fire', place: `"><script>alert(1)</script>`, description: 'x' }));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('oversized and invalid UTF-8 answers that are otherwise valid', () => {
  it('a 100 KB answer is 413 on the API and the page, nothing stored', async () => {
    const f = await fixture();
    const before = await snapshot(f.t);
    const api = await f.t.app.request('/api/v1/forms/hazard-tip/submissions', json({ ...VALID_TIP, description: '隐'.repeat(40_000) }));
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
    const page = await f.t.app.request('/f/mass-feedback', urlencoded({ satisfaction: 'satisfied', aware: 'yes', participated: 'yes', opinion: 'x'.repeat(100_000) }));
    expect(page.status).toBe(413);
    expect(await page.text()).toContain('提交的内容太大');
    const unit = await f.unit.api('/api/v1/unit/forms/household-visit/submissions', {
      body: { cadre: f.ids.cadre, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '王五', address: '2组', almanac: true, aware: true, participated: true, satisfaction: 'satisfied', opinions: 'x'.repeat(100_000) },
    });
    expect(unit.status).toBe(413);
    expect(await snapshot(f.t)).toEqual(before);
  });

  it('a 9 MB multipart hazard tip (over the photo cap) is 413 in Chinese, nothing stored', async () => {
    const f = await fixture();
    const before = await snapshot(f.t);
    const body = '--b\r\nContent-Disposition: form-data; name="place"\r\n\r\n陈仓示范村一\r\n--b\r\nContent-Disposition: form-data; name="description"\r\n\r\n' + 'x'.repeat(9 * MB) + '\r\n--b--\r\n';
    const res = await f.t.app.request('/f/hazard-tip', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b', 'cf-connecting-ip': freshIp() }, body });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('提交的内容太大');
    expect(await snapshot(f.t)).toEqual(before);
  });

  it('a description over its maximum length is 422 beside the field', async () => {
    const f = await fixture();
    const res = await f.t.app.request('/api/v1/forms/hazard-tip/submissions', json({ ...VALID_TIP, description: '隐'.repeat(1001) }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['description']);
  });

  it('invalid UTF-8 bytes inside an otherwise valid hazard tip are refused, not stored as replacement characters', async () => {
    const f = await fixture();
    const before = await snapshot(f.t);
    const enc = new TextEncoder();
    const bytes = new Uint8Array([...enc.encode('{"category":"fire","place":"陈仓'), 0xff, 0xfe, 0xc3, 0x28, ...enc.encode('出租屋","description":"消防通道被堵塞了"}')]);
    const api = await f.t.app.request('/api/v1/forms/hazard-tip/submissions', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp() }, body: bytes });
    expect(api.status).toBeGreaterThanOrEqual(400);
    expect(api.status).toBeLessThan(500);
    expect(((await api.json()) as { message: string }).message).toMatch(CJK);

    // A lone surrogate escaped in JSON has no UTF-8 form either.
    const surrogate = await f.t.app.request('/api/v1/forms/hazard-tip/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp() },
      body: '{"category":"fire","place":"陈仓出租屋","description":"消防通道\\ud800被堵塞了"}',
    });
    expect(surrogate.status).toBe(422);
    expect(((await surrogate.json()) as { errors: { field: string; message: string }[] }).errors).toEqual([{ field: 'description', message: '含有无法识别的字符（可能是编码错误），请重新输入' }]);

    const formBytes = new Uint8Array([...enc.encode('category=fire&place=%E9%99%88'), 0xff, 0xfe, ...enc.encode('&description=%E6%B6%88%E9%98%B2%E9%80%9A%E9%81%93%E8%A2%AB%E5%A0%B5')]);
    const page = await f.t.app.request('/f/hazard-tip', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': freshIp() }, body: formBytes });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    expect(await snapshot(f.t)).toEqual(before);
  });
});

describe('idempotency keys', () => {
  it('a public client cannot claim a unit\'s key namespace to block or probe its submissions', async () => {
    const f = await fixture();
    const before = await snapshot(f.t);
    for (const key of ['unit:chencang:xyz', 'x'.repeat(256), 'bad key', '']) {
      const res = await f.t.app.request('/api/v1/forms/hazard-tip/submissions', json(VALID_TIP, { 'idempotency-key': key }));
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'BAD_IDEMPOTENCY_KEY' });
    }
    expect(await snapshot(f.t)).toEqual(before);
    const visit = await f.unit.api('/api/v1/unit/forms/household-visit/submissions', {
      body: { cadre: f.ids.cadre, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '赵六', address: '4组', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' },
      headers: { 'idempotency-key': 'xyz' },
    });
    expect(visit.status).toBe(201);
  });
});

describe('forged, revoked and stale credentials', () => {
  it('a revoked code cannot sign in, and its session and Bearer use stop at once', async () => {
    const f = await fixture();
    const signin = await f.t.app.request('/signin', urlencoded({ code: f.revokedCode }));
    expect(signin.status).toBe(401);
    expect(await signin.text()).toContain('访问码不正确或已停用');
    const page = await f.t.app.request('/unit', { headers: { cookie: f.revokedCookie } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Funit');
    const api = await f.t.app.request('/api/v1/unit/hazards', { headers: { authorization: `Bearer ${f.revokedCode}`, 'cf-connecting-ip': freshIp() } });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it('a session cookie stops working two weeks after sign-in, even if the browser keeps it and is used daily', async () => {
    const f = await fixture();
    const signin = await f.t.app.request('/signin', urlencoded({ code: f.unit.code, next: '/unit' }));
    expect(signin.status).toBe(303);
    const cookie = signin.headers.get('set-cookie')!.split(';')[0]!;
    expect((await f.t.app.request('/unit', { headers: { cookie } })).status).toBe(200);
    // Used every 11 hours (inside the 12-hour idle limit) for 13 days.
    for (let i = 0; i < 28; i++) {
      f.t.setNow(new Date(f.t.deps.now().getTime() + 11 * 3600_000));
      expect((await f.t.app.request('/unit', { headers: { cookie } })).status).toBe(200);
    }
    f.t.setNow(new Date(f.t.deps.now().getTime() + 2 * 24 * 3600_000));
    const late = await f.t.app.request('/unit', { headers: { cookie } });
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toBe('/signin?next=%2Funit');
    const api = await f.t.app.request('/api/v1/unit/cadres', { headers: { cookie } });
    expect(api.status).toBe(401);
  });

  it('sign-in refuses junk codes in Chinese and an open redirect in next', async () => {
    const f = await fixture();
    for (const code of [SQLI, XSS, 'a'.repeat(10_000), 'ABCD-EFGH-JKMN-PQRT', '']) {
      const res = await f.t.app.request('/signin', urlencoded({ code, next: '//evil.example' }));
      expect([401, 422]).toContain(res.status);
      const html = await res.text();
      expect(html).toMatch(/role="alert"[^>]*>\s*[^<]*[\u4e00-\u9fff]/);
      expect(html).not.toContain(XSS);
    }
    // Chromium drops a tab inside a Location, so "/<TAB>/evil" lands on //evil; a newline cannot be put in a header at all (was a 500).
    for (const next of ['//evil.example/steal', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\nSet-Cookie: pingan_session=x', 'https://evil.example', '/unit\u3000x']) {
      const ok = await f.t.app.request('/signin', urlencoded({ code: f.unit.code, next }));
      expect(ok.status, JSON.stringify(next)).toBe(303);
      expect(ok.headers.get('location')).toBe('/unit');
    }
    const kept = await f.t.app.request('/signin', urlencoded({ code: f.unit.code, next: '/unit/forms/household-visit?unit=chencang&day=2014-11-04' }));
    expect(kept.headers.get('location')).toBe('/unit/forms/household-visit?unit=chencang&day=2014-11-04');
  });
});
