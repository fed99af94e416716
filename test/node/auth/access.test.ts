// Access codes: sign-in with a session cookie, Bearer codes, guessing slowed down, the office's issue/list/revoke page.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getSignedCookie } from 'hono/cookie';
import { Hono } from 'hono';
import { accessCodes, sessions, signInFailures } from '../../../src/db/schema.ts';
import { sha256Hex } from '../../../src/lib/crypto.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { delaySeconds } from '../../../src/auth/throttle.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

async function cookieValue(t: TestContext, setCookie: string): Promise<string | false | undefined> {
  // Read the signed cookie back the way the app does.
  const probe = new Hono();
  let value: string | false | undefined;
  probe.get('/', async (c) => {
    value = await getSignedCookie(c, t.deps.config.SESSION_SECRET, 'pingan_session');
    return c.text('ok');
  });
  await probe.request('/', { headers: { cookie: setCookie.split(';')[0]! } });
  return value;
}

describe('sign-in', () => {
  it('shows the code entry in Chinese and says what a code is for', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/signin?next=/unit/cadres');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('访问码');
    expect(html).toContain('入户下访登记表');
    expect(html).toContain('name="next" value="/unit/cadres"');
    expect(html).toMatch(/<input[^>]*name="code"[^>]*autofocus/);
  });

  it('sets a signed HttpOnly SameSite=Lax session cookie holding the code id, and redirects to next', async () => {
    const t = await makeTestApp();
    const issued = await issueAccessCode(t.db, { unitCode: 'chencang' });
    // People type codes in lower case and without dashes.
    const res = await t.app.request('/signin', form({ code: issued.code.toLowerCase().replace(/-/g, ''), next: '/unit/cadres' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/unit/cadres');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^pingan_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/);
    // The cookie is a random id, nothing about the code; the table holds only its hash.
    const value = await cookieValue(t, setCookie);
    expect(value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const [session] = await t.db.select().from(sessions);
    expect(session).toMatchObject({ idHash: await sha256Hex(value as string), codeId: issued.id, createdAt: t.deps.now().getTime() });
    const row = await t.db.query.accessCodes.findFirst({ where: eq(accessCodes.id, issued.id) });
    expect(row!.lastUsedAt).toBe(t.deps.now().getTime());
    // Signed in, the sign-in page says as whom.
    const again = await t.app.request('/signin', { headers: { cookie: setCookie.split(';')[0]! } });
    expect(await again.text()).toContain('您已登录：陈仓镇');
  });

  it('does not tell a Bearer code from a wrong one on the sign-in page, which the guessing throttle does not cover', async () => {
    const t = await makeTestApp();
    const issued = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const page = await t.app.request('/signin', { headers: { authorization: `Bearer ${issued.code}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('您已登录');
  });

  it('refuses an open redirect in next', async () => {
    const t = await makeTestApp();
    const issued = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const res = await t.app.request('/signin', form({ code: issued.code, next: '//evil.example/x' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/unit');
  });

  it('refuses a forged cookie and a wrong code with a message beside the field', async () => {
    const t = await makeTestApp();
    const forged = await t.app.request('/admin/access', { headers: { cookie: 'pingan_session=1.abc.forged' } });
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/signin?next=%2Fadmin%2Faccess');
    const res = await t.app.request('/signin', form({ code: 'AAAA-AAAA-AAAA-AAAA' }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('访问码不正确或已停用');
  });

  it('signs out by POST, clearing the cookie; a GET only asks', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'office');
    const ask = await s.page('/signout');
    expect(ask.status).toBe(200);
    expect(await ask.text()).toMatch(/<form method="post" action="\/signout">/);
    expect((await s.page('/admin')).status).toBe(200);
    const res = await s.post('/signout', {});
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/pingan_session=;.*Max-Age=0/);
  });
});

describe('guessing codes is slowed down per client', () => {
  it('waits longer after each failure beyond five', () => {
    expect([4, 5, 6, 7, 20].map(delaySeconds)).toEqual([0, 30, 60, 120, 3600]);
  });

  it('answers 429 with Retry-After after five wrong codes, growing, only for that client', async () => {
    const t = await makeTestApp();
    const issued = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const guesser = { 'x-forwarded-for': '203.0.113.9' };
    for (let i = 1; i <= 5; i++) {
      const res = await t.app.request('/signin', form({ code: `WRONG-CODE-${i}AAA` }, guesser));
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const row = await t.db.query.signInFailures.findFirst({ where: eq(signInFailures.client, '203.0.113.9') });
    expect(row!.failures).toBe(5);

    // The next wrong code waits.
    const blocked = await t.app.request('/signin', form({ code: 'WRONG-CODE-6AAA' }, guesser));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('60');
    expect(await blocked.text()).toContain('错误次数过多');

    // Another client is not affected.
    const other = await t.app.request('/signin', form({ code: 'WRONG-CODE-1AAA' }, { 'x-forwarded-for': '198.51.100.7' }));
    expect(other.status).toBe(401);

    // The right code from the same address is never locked out (a village behind one carrier NAT), and does not
    // clear the guesser's count either.
    expect((await t.app.request('/signin', form({ code: issued.code }, guesser))).status).toBe(303);
    const again = await t.app.request('/signin', form({ code: 'WRONG-CODE-7AAA' }, guesser));
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('120');
  });

  it('counts wrong Bearer codes on the API too', async () => {
    const t = await makeTestApp();
    const admin = await issueAccessCode(t.db, { unitCode: 'office' });
    const headers = (code: string) => ({ authorization: `Bearer ${code}`, 'x-forwarded-for': '203.0.113.10' });
    for (let i = 1; i <= 5; i++) {
      const res = await t.app.request('/api/v1/admin/access-codes', { headers: headers(`NOPE-NOPE-NOPE-NOP${i}`) });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    }
    const res = await t.app.request('/api/v1/admin/access-codes', { headers: headers('NOPE-NOPE-NOPE-NOP6') });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toMatchObject({ error: 'TOO_MANY_ATTEMPTS', retryAfter: 60 });
    // The right code still works from that address.
    expect((await t.app.request('/api/v1/admin/access-codes', { headers: headers(admin.code) })).status).toBe(200);
  });
});

describe('the office issues, lists and revokes codes', () => {
  it('shows a new code once, lists it without the code, and revoking it ends sessions and Bearer use', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const issuedRes = await office.post('/admin/access', { unit: 'panlong', label: '蟠龙镇联络员', leader: '' });
    expect(issuedRes.status).toBe(201);
    expect(issuedRes.headers.get('cache-control')).toBe('no-store');
    const html = await issuedRes.text();
    const code = /id="new-code">([A-Z0-9-]+)</.exec(html)![1]!;
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    expect(html).toContain('只显示这一次');

    const rows = await t.db.select().from(accessCodes).where(eq(accessCodes.unitCode, 'panlong'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'unit', label: '蟠龙镇联络员', revokedAt: null });
    expect(JSON.stringify(rows)).not.toContain(code.replace(/-/g, ''));

    // The liaison signs in with it and uses it as a Bearer token.
    const liaison = await t.app.request('/signin', form({ code }));
    expect(liaison.status).toBe(303);
    const liaisonCookie = liaison.headers.get('set-cookie')!.split(';')[0]!;

    const list = await office.page('/admin/access');
    const listHtml = await list.text();
    expect(listHtml).toContain('蟠龙镇联络员');
    expect(listHtml).toContain('蟠龙镇');
    expect(listHtml).not.toContain(code);

    const revoke = await office.post(`/admin/access/${rows[0]!.id}/revoke`, {});
    expect(revoke.status).toBe(303);
    expect((await office.page(revoke.headers.get('location')!)).status).toBe(200);
    const revoked = await t.db.query.accessCodes.findFirst({ where: eq(accessCodes.id, rows[0]!.id) });
    expect(revoked!.revokedAt).toBe(t.deps.now().getTime());

    // A revoked code: the session is gone, the Bearer token answers 401, signing in fails.
    const page = await t.app.request('/unit', { headers: { cookie: liaisonCookie } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/signin/);
    const api = await t.app.request('/api/v1/unit/cadres', { headers: { authorization: `Bearer ${code}` } });
    expect(api.status).toBe(401);
    expect((await t.app.request('/signin', form({ code }))).status).toBe(401);
    // Revoking twice is a 404, not a silent success.
    expect((await office.post(`/admin/access/${rows[0]!.id}/revoke`, {})).status).toBe(404);
  });

  it('issues a read-only leader code through the API', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const res = await office.api('/api/v1/admin/access-codes', { body: { unit: 'office', leader: true, label: '区领导' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { role: string; code: string };
    expect(body.role).toBe('leader');
    const bad = await office.api('/api/v1/admin/access-codes', { body: { unit: 'nowhere' } });
    expect(bad.status).toBe(422);
    // A leader code reads every unit, so a town cannot be given one.
    const before = (await t.db.select().from(accessCodes)).length;
    const townLeader = await office.api('/api/v1/admin/access-codes', { body: { unit: 'chencang', leader: true } });
    expect(townLeader.status).toBe(422);
    expect(await townLeader.json()).toMatchObject({ error: 'VALIDATION_FAILED', errors: [{ field: 'leader', message: expect.any(String) }] });
    expect(await t.db.select().from(accessCodes)).toHaveLength(before);
    await expect(issueAccessCode(t.db, { unitCode: 'chencang', leader: true })).rejects.toThrow(/district office/);
  });

  it('refuses the page and the API to units and leaders', async () => {
    const t = await makeTestApp();
    const unit = await signIn(t, 'chencang');
    const leader = await signIn(t, 'office', { leader: true });
    expect((await unit.page('/admin/access')).status).toBe(403);
    expect((await leader.page('/admin/access')).status).toBe(403);
    expect((await unit.post('/admin/access', { unit: 'chencang' })).status).toBe(403);
    expect((await unit.api('/api/v1/admin/access-codes')).status).toBe(403);
    const someone = await t.db.select().from(accessCodes);
    expect((await unit.post(`/admin/access/${someone[0]!.id}/revoke`, {})).status).toBe(403);
    expect((await t.db.select().from(accessCodes)).every((r) => r.revokedAt === null)).toBe(true);
  });
});
