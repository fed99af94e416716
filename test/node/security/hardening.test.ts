// Issue 16, findings 2, 3, 8, 9, 10 and 12, each attacked as the outside review did, and now refused.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { accessCodes, meta, sessions } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { nodeSessionSecret, sessionKeyPath } from '../../../src/runtime/node/session-secret.ts';
import { freshDb, makeTestApp, TEST_BASE_URL, type TestContext } from '../../helpers/app.ts';
import { SAME_ORIGIN, signIn } from '../../helpers/unit-portal.ts';

const EVIL = 'https://evil.example';

/** The office's "issue an admin code" form, posted with the office's cookie and the given browser headers. */
const issueAdminCode = (t: TestContext, cookie: string, headers: Record<string, string>) =>
  t.app.request('/admin/access', {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ unit: 'office', label: 'attacker' }).toString(),
  });

const codesLabelled = async (t: TestContext, label: string) => (await t.db.select().from(accessCodes).where(eq(accessCodes.label, label))).length;

describe('2: sign-out ends the session on the server', () => {
  it('a copy of the cookie taken before sign-out no longer works afterwards', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const copied = office.cookie;
    expect((await office.post('/signout', {})).status).toBe(303);
    const reuse = await issueAdminCode(t, copied, SAME_ORIGIN);
    expect(reuse.status).toBe(401);
    expect(await codesLabelled(t, 'attacker')).toBe(0);
    const page = await t.app.request('/admin', { headers: { cookie: copied } });
    expect(page.status).toBe(303);
    expect(await t.db.select().from(sessions)).toHaveLength(0);
  });

  it('a session ends after 12 idle hours, though its two weeks are not up', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    t.setNow(new Date(t.deps.now().getTime() + 11 * 3600_000));
    expect((await office.page('/admin')).status).toBe(200);
    t.setNow(new Date(t.deps.now().getTime() + 12 * 3600_000 + 1000));
    expect((await office.page('/admin')).status).toBe(303);
  });

  it('the office lists sessions on /admin/access and ends one', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const town = await signIn(t, 'chencang');
    const html = await (await office.page('/admin/access')).text();
    expect(html).toContain('已登录的浏览器');
    const [townSession] = await t.db.select().from(sessions).where(eq(sessions.codeId, town.codeId));
    expect(html).toContain(`action="/admin/access/sessions/${townSession!.idHash}/revoke"`);
    const end = await office.post(`/admin/access/sessions/${townSession!.idHash}/revoke`, {});
    expect(end.status).toBe(303);
    expect(await (await office.page(end.headers.get('location')!)).text()).toContain('该登录已强制退出');
    expect((await town.page('/unit')).status).toBe(303);
    // The office's own session is untouched; the API lists what is left.
    const list = (await (await office.api('/api/v1/admin/sessions')).json()) as { codeId: number }[];
    expect(list.map((s) => s.codeId)).toEqual([office.codeId]);
  });
});

describe('3: cross-site writes are refused', () => {
  it('refuses the office cookie from another origin, a cross-site fetch, and a write with the cookie but neither header', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const attempts: Record<string, string>[] = [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }, { origin: 'null', 'sec-fetch-site': 'cross-site' }, {}, { origin: new URL(TEST_BASE_URL).origin, 'sec-fetch-site': 'cross-site' }];
    for (const headers of attempts) {
      const res = await issueAdminCode(t, office.cookie, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toContain('来自其他网站');
    }
    expect(await codesLabelled(t, 'attacker')).toBe(0);
    // Revoking a code and closing a hazard go through the same check.
    const revoke = await t.app.request(`/admin/access/${office.codeId}/revoke`, { method: 'POST', headers: { cookie: office.cookie, origin: EVIL } });
    expect(revoke.status).toBe(403);
    expect((await t.db.query.accessCodes.findFirst({ where: eq(accessCodes.id, office.codeId) }))!.revokedAt).toBeNull();
    // The office's own page still works, as does a same-origin fetch.
    expect((await issueAdminCode(t, office.cookie, SAME_ORIGIN)).status).toBe(201);
    expect((await issueAdminCode(t, office.cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await issueAdminCode(t, office.cookie, { origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });

  it('refuses a sign-in posted from another site (login CSRF), and signs out only by POST', async () => {
    const t = await makeTestApp();
    const issued = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const body = new URLSearchParams({ code: issued.code }).toString();
    const forged = await t.app.request('/signin', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL }, body });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    const town = await signIn(t, 'chencang');
    // A GET (an <img> on any page) only asks; the session lives on.
    expect((await town.page('/signout')).status).toBe(200);
    expect((await town.page('/unit')).status).toBe(200);
    // A cross-site POST cannot sign anyone out either.
    expect((await t.app.request('/signout', { method: 'POST', headers: { cookie: town.cookie, origin: EVIL } })).status).toBe(403);
    expect((await town.page('/unit')).status).toBe(200);
  });

  it('leaves Bearer API calls and the cookieless public forms alone', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const api = await office.api('/api/v1/admin/access-codes', { body: { unit: 'chencang', label: 'api' }, headers: { origin: EVIL } });
    expect(api.status).toBe(201);
    const tip = await t.app.request('/api/v1/forms/hazard-tip/submissions?u=chencang-v1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'fire', place: '村委会旁出租屋', description: '楼道堆放杂物', noticedOn: '2014-11-03' }),
    });
    expect(tip.status).toBe(201);
  });
});

describe('8: security headers on every answer', () => {
  it('a CSP without inline script, nosniff, no framing and no referrer on pages, APIs and errors', async () => {
    const t = await makeTestApp();
    for (const path of ['/', '/signin', '/f/hazard-tip', '/api/v1/forms', '/no-such-page']) {
      const res = await t.app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self' https://challenges.cloudflare.com");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
    }
    // A receipt's address is its key: not even our own pages get it.
    expect((await t.app.request('/r/ABCDEFGHJK')).headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('pages carry no inline script or handler, so the CSP does not break them', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    for (const path of ['/', '/f/hazard-tip', '/f/hazard-tip?u=chencang-v1', '/admin', '/leader', '/unit/forms/household-visit', '/admin/access', '/qr']) {
      const html = await (await office.page(path)).text();
      expect(html, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\son[a-z]+=/);
      expect(html, path).not.toContain('javascript:');
    }
    const script = await t.app.request('/assets/page.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('no-store on every authenticated or personal answer, cacheable public pages otherwise', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    for (const res of [await office.page('/admin'), await office.page('/unit'), await office.page('/leader'), await office.api('/api/v1/admin/access-codes'), await office.page('/'), await t.app.request('/r/ABCDEFGHJK'), await t.app.request('/api/v1/receipts/ABCDEFGHJK')]) {
      expect(res.headers.get('cache-control'), res.url).toBe('no-store');
    }
    expect((await t.app.request('/')).headers.get('cache-control')).not.toBe('no-store');
  });
});

describe('9: success boxes say fixed things', () => {
  it('never echoes the text of a query flag', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const bait = '请将新访问码发送至13800138000';
    for (const path of [
      `/admin/access?revoked=${encodeURIComponent(bait)}`,
      `/unit/cadres?done=imported&n=${encodeURIComponent(bait)}&added=${encodeURIComponent(bait)}`,
      `/unit/forms/household-visit?saved=${encodeURIComponent(bait)}`,
      `/unit/hazards?returned=${encodeURIComponent(bait)}`,
    ]) {
      const res = await office.page(path);
      const html = await res.text();
      expect(html, path).not.toContain('13800138000');
    }
    expect(await (await office.page('/admin/access?revoked=1')).text()).toContain('访问码已停用');
  });
});

describe('10: receipt lookups and feedback are limited per address', () => {
  it('answers 429 in Chinese past the limit, per address', async () => {
    const t = await makeTestApp({ config: { SUBMIT_RATE_LIMIT: '5' } });
    const from = (ip: string) => ({ headers: { 'cf-connecting-ip': ip } });
    for (let i = 0; i < 5; i++) expect((await t.app.request(`/r/ABCDEFGH${i}K`, from('203.0.113.5'))).status).toBe(404);
    const page = await t.app.request('/r?code=ABCDEFGHJK', from('203.0.113.5'));
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await page.text()).toContain('查询太频繁');
    const api = await t.app.request('/api/v1/receipts/ABCDEFGHJK', from('203.0.113.5'));
    expect(api.status).toBe(429);
    expect(await api.json()).toMatchObject({ error: 'RATE_LIMITED' });
    const feedback = await t.app.request('/api/v1/receipts/ABCDEFGHJK/feedback', {
      method: 'POST',
      headers: { 'cf-connecting-ip': '203.0.113.5', 'content-type': 'application/json' },
      body: JSON.stringify({ fixed: false }),
    });
    expect(feedback.status).toBe(429);
    expect((await t.app.request('/r/ABCDEFGHJK', from('198.51.100.1'))).status).toBe(404);
  });
});

describe('12: the Node session secret is not in the database', () => {
  it('moves a secret kept in meta to a 0600 key file beside the database and deletes the row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pingan-key-'));
    try {
      const url = `file:${join(dir, 'pingan.db')}`;
      const db = await freshDb(url);
      await db.insert(meta).values({ key: 'session_secret', value: 'legacy-secret-0123456789abcdefghijklmnop', updatedAt: 0 });
      expect(sessionKeyPath(url, {})).toBe(join(dir, 'pingan.key'));
      expect(await nodeSessionSecret(db, url, {})).toBe('legacy-secret-0123456789abcdefghijklmnop');
      expect(await db.query.meta.findFirst({ where: eq(meta.key, 'session_secret') })).toBeUndefined();
      expect((await stat(join(dir, 'pingan.key'))).mode & 0o777).toBe(0o600);
      // The next start reads the file; SESSION_SECRET, when set, wins.
      expect(await nodeSessionSecret(db, url, {})).toBe('legacy-secret-0123456789abcdefghijklmnop');
      expect(await nodeSessionSecret(db, url, { SESSION_SECRET: 'from-the-environment-0123' })).toBe('from-the-environment-0123');
      db.$client.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('creates a fresh key file on first start and never writes the secret into the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pingan-key-'));
    try {
      const url = `file:${join(dir, 'data.db')}`;
      const db = await freshDb(url);
      const secret = await nodeSessionSecret(db, url, {});
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect((await readFile(join(dir, 'data.key'), 'utf8')).trim()).toBe(secret);
      expect(await db.select().from(meta)).not.toContainEqual(expect.objectContaining({ value: secret }));
      db.$client.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
