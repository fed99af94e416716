// Issue 16 inside workerd: sign-out ends the session in the database (2), cross-site writes are refused (3),
// and every answer carries the security headers, personal ones no-store (8).
import { env, SELF } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/crypto.ts';

const BASE = 'https://pingan.example.org';
const EVIL = 'https://evil.example';

async function officeSession(): Promise<{ cookie: string; label: string; db: ReturnType<typeof createClient> }> {
  const db = createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
  const suffix = crypto.randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
  const code = `WKSEC${suffix}`;
  await db.execute({
    sql: "INSERT INTO access_codes (code_hash, role, unit_code, label, created_at) VALUES (?, 'admin', 'office', 'workers security test', ?)",
    args: [await sha256Hex(code), Date.now()],
  });
  const signin = await SELF.fetch(`${BASE}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
    body: new URLSearchParams({ code, next: '/admin' }).toString(),
  });
  expect(signin.status).toBe(303);
  return { cookie: signin.headers.get('set-cookie')!.split(';')[0]!, label: `attacker ${suffix}`, db };
}

const issue = (cookie: string, label: string, headers: Record<string, string>) =>
  SELF.fetch(`${BASE}/admin/access`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ unit: 'office', label }).toString(),
  });

describe('security in workerd', () => {
  it('2: after sign-out a copy of the cookie cannot issue a code', async () => {
    const { cookie, label, db } = await officeSession();
    const out = await SELF.fetch(`${BASE}/signout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: BASE } });
    expect(out.status).toBe(303);
    const reuse = await issue(cookie, label, { origin: BASE });
    expect(reuse.status).toBe(401);
    const rows = await db.execute({ sql: 'SELECT count(*) AS n FROM access_codes WHERE label = ?', args: [label] });
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });

  it('3: the cookie from another origin, a cross-site fetch or no Origin at all cannot issue a code; sign-in from another site is refused', async () => {
    const { cookie, label, db } = await officeSession();
    for (const headers of [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }, {}] as Record<string, string>[]) {
      expect((await issue(cookie, label, headers)).status, JSON.stringify(headers)).toBe(403);
    }
    const rows = await db.execute({ sql: 'SELECT count(*) AS n FROM access_codes WHERE label = ?', args: [label] });
    expect(Number(rows.rows[0]!.n)).toBe(0);
    expect((await issue(cookie, label, { origin: BASE })).status).toBe(201);
    const login = await SELF.fetch(`${BASE}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL },
      body: 'code=ABCD-EFGH-JKMN-PQRT',
    });
    expect(login.status).toBe(403);
  });

  it('8: CSP without inline script, nosniff, no framing, no referrer; no-store when signed in', async () => {
    const { cookie } = await officeSession();
    const home = await SELF.fetch(`${BASE}/`);
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(home.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(home.headers.get('referrer-policy')).toBe('same-origin');
    expect(home.headers.get('cache-control')).not.toBe('no-store');
    await home.arrayBuffer();
    const admin = await SELF.fetch(`${BASE}/admin`, { headers: { cookie } });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('cache-control')).toBe('no-store');
    expect(await admin.text()).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const receipt = await SELF.fetch(`${BASE}/api/v1/receipts/ABCDEFGHJK`);
    expect(receipt.headers.get('cache-control')).toBe('no-store');
    await receipt.arrayBuffer();
  });
});
