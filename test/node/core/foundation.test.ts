import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/core/config.ts';
import { createApp } from '../../../src/app.tsx';
import { issueAccessCode, verifyAccessCode } from '../../../src/auth/codes.ts';
import { accessCodes, cadres, units } from '../../../src/db/schema.ts';
import { addDays, dayEndMs, dayStartMs, isValidDay, shanghaiDay } from '../../../src/lib/time.ts';
import { makeTestApp, testConfig, testDeps } from '../../helpers/app.ts';
import organisation from '../../../forms/organisation.ts';

describe('configuration', () => {
  const base = { LIBSQL_URL: 'file:x.db', PUBLIC_BASE_URL: 'https://a.example', SESSION_SECRET: 's'.repeat(20) };
  const cases: { name: string; env: Record<string, string | undefined>; error: RegExp }[] = [
    { name: 'missing LIBSQL_URL', env: { ...base, LIBSQL_URL: undefined }, error: /LIBSQL_URL is missing/ },
    { name: 'wrong LIBSQL_URL scheme', env: { ...base, LIBSQL_URL: 'postgres://x' }, error: /LIBSQL_URL must start with/ },
    { name: 'missing SESSION_SECRET', env: { ...base, SESSION_SECRET: undefined }, error: /SESSION_SECRET is missing/ },
    { name: 'short SESSION_SECRET', env: { ...base, SESSION_SECRET: 'short' }, error: /SESSION_SECRET must be at least 16/ },
    { name: 'bad PUBLIC_BASE_URL', env: { ...base, PUBLIC_BASE_URL: 'not a url' }, error: /PUBLIC_BASE_URL must be a URL/ },
    { name: 'bad GOOGLE_API_ROOT', env: { ...base, GOOGLE_API_ROOT: 'nope' }, error: /GOOGLE_API_ROOT must be a URL/ },
    { name: 'service account without SHEET_ID', env: { ...base, GOOGLE_SERVICE_ACCOUNT: '{"client_email":"a","private_key":"b"}' }, error: /SHEET_ID is missing/ },
    { name: 'service account not JSON', env: { ...base, GOOGLE_SERVICE_ACCOUNT: 'abc', SHEET_ID: 'x' }, error: /GOOGLE_SERVICE_ACCOUNT must be the JSON key/ },
    { name: 'rate limit not a number', env: { ...base, SUBMIT_RATE_LIMIT: 'many' }, error: /SUBMIT_RATE_LIMIT must be a number/ },
  ];
  for (const c of cases) {
    it(`fails fast on ${c.name}, naming the variable`, () => {
      expect(() => parseConfig(c.env)).toThrowError(ConfigError);
      expect(() => parseConfig(c.env)).toThrowError(c.error);
    });
  }

  it('fills defaults and trims the base URL', () => {
    const config = parseConfig({ ...base, PUBLIC_BASE_URL: 'https://a.example/', SHEET_ID: '' });
    expect(config.PUBLIC_BASE_URL).toBe('https://a.example');
    expect(config.GOOGLE_API_ROOT).toBe('https://sheets.googleapis.com/');
    expect(config.GOOGLE_TOKEN_URL).toBe('https://oauth2.googleapis.com/token');
    expect(config.SUBMIT_RATE_LIMIT).toBe(60);
  });
});

describe('Asia/Shanghai days', () => {
  it('puts 23:59:59 and 00:00:00 Beijing time on different days', () => {
    expect(shanghaiDay(new Date('2014-11-04T15:59:59.999Z'))).toBe('2014-11-04');
    expect(shanghaiDay(new Date('2014-11-04T16:00:00.000Z'))).toBe('2014-11-05');
    expect(dayStartMs('2014-11-05')).toBe(Date.parse('2014-11-04T16:00:00Z'));
    expect(dayEndMs('2014-11-04')).toBe(Date.parse('2014-11-04T16:00:00Z'));
    expect(addDays('2014-11-30', 1)).toBe('2014-12-01');
  });

  it('rejects impossible dates', () => {
    expect(isValidDay('2014-02-30')).toBe(false);
    expect(isValidDay('2014-13-01')).toBe(false);
    expect(isValidDay('2014-11-04')).toBe(true);
  });
});

describe('core routes', () => {
  it('GET /healthz answers ok with a reachable database', async () => {
    const { app } = await makeTestApp();
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'ok' });
  });

  it('GET /healthz answers 503 when the database is gone', async () => {
    const { app, db } = await makeTestApp();
    db.$client.close();
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false });
  });

  it('GET /api/v1/units lists the organisation with kinds and parents', async () => {
    const { app } = await makeTestApp();
    const res = await app.request('/api/v1/units');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { code: string; name: string; kind: string; parent: string | null }[];
    expect(body).toHaveLength(organisation.units.length);
    for (const u of body) expect(Object.keys(u).sort()).toEqual(['code', 'kind', 'name', 'parent']);
    expect(body.filter((u) => u.kind === 'department')).toHaveLength(20);
    const village = body.find((u) => u.kind === 'village')!;
    expect(body.find((u) => u.code === village.parent)?.kind).toBe('town');
  });

  it('serves a Chinese landing page and a Chinese 404', async () => {
    const { app } = await makeTestApp();
    const home = await app.request('/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('平安');
    const missing = await app.request('/no/such/page');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('找不到');
    const apiMissing = await app.request('/api/v1/nothing');
    expect(apiMissing.status).toBe(404);
    expect(await apiMissing.json()).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('an app over an empty database still answers', async () => {
    const { db } = await makeTestApp({ seed: false });
    const app = createApp(testDeps({ db, config: testConfig(), now: () => new Date() }));
    const res = await app.request('/api/v1/units');
    expect(await res.json()).toEqual([]);
  });
});

describe('seed and access codes', () => {
  it('seeds units and cadres once', async () => {
    const { db } = await makeTestApp();
    expect((await db.select().from(units)).length).toBe(organisation.units.length);
    expect((await db.select().from(cadres)).length).toBe(organisation.cadres.length);
  });

  it('issues a code shown once, stores only its hash, and verifies it in any case or spacing', async () => {
    const { db } = await makeTestApp();
    const issued = await issueAccessCode(db, { unitCode: 'office' });
    expect(issued.role).toBe('admin');
    expect(issued.code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    const stored = await db.select().from(accessCodes);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(issued.code.replace(/-/g, ''));
    expect(await verifyAccessCode(db, issued.code.toLowerCase().replace(/-/g, ' '))).toMatchObject({ role: 'admin', unitCode: 'office' });
    expect(await verifyAccessCode(db, 'AAAA-AAAA-AAAA-AAAA')).toBeNull();
    const leader = await issueAccessCode(db, { unitCode: 'office', leader: true });
    expect(leader.role).toBe('leader');
    const town = organisation.units.find((u) => u.kind === 'town')!;
    expect((await issueAccessCode(db, { unitCode: town.code })).role).toBe('unit');
    await expect(issueAccessCode(db, { unitCode: 'nowhere' })).rejects.toThrow(/Unknown unit/);
  });
});
