// The sheet mirror's parts: cell safety, A1 parsing of the fake, the token endpoint, status, the CLI command, hazard hooks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/index.ts';
import { parseA1 } from '../../fakes/google/a1.ts';
import { makeSheetsApp, submit } from '../../helpers/sheets.ts';
import { maskDigits } from '../../../src/forms/personal.ts';
import { cell, freeTextCell, numberCell, percentCell, textCell } from '../../../src/sheets/cells.ts';
import { createGoogleSheetsGateway, parseRetryAfter } from '../../../src/sheets/client.ts';
import { SheetsApiError } from '../../../src/sheets/gateway.ts';
import { flushSheets, RequestBudget, shrunkRanges } from '../../../src/sheets/flush.ts';
import { getSheetStatus, SheetStatusCard } from '../../../src/sheets/status.tsx';
import { sheetsSyncCommand } from '../../../src/sheets/command.ts';
import { enqueueTabs, FORM_TABS, tabsForForm } from '../../../src/sheets/outbox.ts';
import { answerCell, TAB_IDS } from '../../../src/sheets/tabs.ts';
import { transition } from '../../../src/hazards/service.ts';
import { hazards, rankingSnapshots, sheetOutbox, units } from '../../../src/db/schema.ts';
import { acquireLease, releaseLease } from '../../../src/sheets/meta.ts';
import forms from '../../../forms/index.ts';

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await startFakeGoogle();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('cells', () => {
  const cases: { name: string; input: unknown; text: string; free: string }[] = [
    { name: 'plain text', input: '平安金台', text: '平安金台', free: '平安金台' },
    { name: 'a formula', input: '=IMPORTXML("http://x","//a")', text: '\'=IMPORTXML("http://x","//a")', free: '\'=IMPORTXML("http://x","//a")' },
    { name: 'a plus', input: '+86 功能', text: "'+86 功能", free: "'+86 功能" },
    { name: 'a minus', input: '-1+1', text: "'-1+1", free: "'-1+1" },
    { name: 'an at', input: '@SUM(A1)', text: "'@SUM(A1)", free: "'@SUM(A1)" },
    { name: 'a tab', input: '\t=1', text: "'\t=1", free: "'\t=1" },
    { name: 'a mobile number', input: '电话13812345678', text: '电话13812345678', free: '电话***********' },
    { name: 'a spaced number', input: '打 138 1234 5678 找我', text: '打 138 1234 5678 找我', free: '打 *** **** **** 找我' },
    { name: 'full-width digits', input: '１３８１２３４５６７８', text: '１３８１２３４５６７８', free: '***********' },
    { name: 'a short number stays', input: '3组15号 2014年', text: '3组15号 2014年', free: '3组15号 2014年' },
    { name: 'six digits stay', input: '邮编721000', text: '邮编721000', free: '邮编721000' },
    { name: 'nothing', input: null, text: '', free: '' },
  ];
  for (const c of cases) {
    it(`textCell / freeTextCell: ${c.name}`, () => {
      expect(textCell(c.input)).toBe(c.text);
      expect(freeTextCell(c.input)).toBe(c.free);
    });
  }

  it('keeps numbers as numbers and says 是/否 for booleans', () => {
    expect(cell(12)).toBe(12);
    expect(cell(Number.NaN)).toBe('');
    expect(cell(true)).toBe('是');
    expect(numberCell(null)).toBe('');
    expect(percentCell(2, 3)).toBe(66.7);
    expect(percentCell(1, 0)).toBe('');
    expect(maskDigits('0917-3456789')).toBe('****-*******');
    expect(textCell('长'.repeat(6000))).toHaveLength(5000);
  });

  it('never writes a personal or phone field, whatever the payload holds', () => {
    for (const form of forms) {
      for (const field of form.fields) {
        if (field.personal || field.type === 'phone' || field.sheetColumn === false) {
          expect(answerCell(field, '13912345678', {}), `${form.id}.${field.name}`).toBe('');
        }
      }
    }
  });

  it('maps every form to tabs that exist', () => {
    for (const form of forms) for (const tab of tabsForForm(form.id)) expect(TAB_IDS).toContain(tab);
    expect(Object.keys(FORM_TABS).every((id) => forms.some((f) => f.id === id))).toBe(true);
  });
});

describe('the fake Google', () => {
  const sheets = ['总览', "It's", 'Sheet1'];
  const cases: { a1: string; expected: ReturnType<typeof parseA1> | 'error' }[] = [
    { a1: "'总览'!A1:B25", expected: { sheet: '总览', startRow: 0, startCol: 0, endRow: 25, endCol: 2 } },
    { a1: "'It''s'!C3", expected: { sheet: "It's", startRow: 2, startCol: 2, endRow: 3, endCol: 3 } },
    { a1: 'Sheet1!A:C', expected: { sheet: 'Sheet1', startRow: 0, startCol: 0, endRow: null, endCol: 3 } },
    { a1: 'Sheet1!2:4', expected: { sheet: 'Sheet1', startRow: 1, startCol: 0, endRow: 4, endCol: null } },
    { a1: "'总览'!A5:E", expected: { sheet: '总览', startRow: 4, startCol: 0, endRow: null, endCol: 5 } },
    { a1: "'总览'", expected: { sheet: '总览', startRow: 0, startCol: 0, endRow: null, endCol: null } },
    { a1: 'Sheet1', expected: { sheet: 'Sheet1', startRow: 0, startCol: 0, endRow: null, endCol: null } },
    { a1: 'AA10:AB12', expected: { sheet: null, startRow: 9, startCol: 26, endRow: 12, endCol: 28 } },
    { a1: "'总览!A1", expected: 'error' },
    { a1: "'总览'A1", expected: 'error' },
    { a1: 'Sheet1!A1:B2:C3', expected: 'error' },
    { a1: 'Sheet1!A0', expected: 'error' },
  ];
  for (const c of cases) {
    it(`parses ${c.a1}`, () => {
      if (c.expected === 'error') expect(() => parseA1(c.a1, sheets)).toThrow(`Unable to parse range: ${c.a1}`);
      else expect(parseA1(c.a1, sheets)).toEqual(c.expected);
    });
  }

  it('answers with Google\'s error bodies, checks the token and grid limits', async () => {
    const noAuth = await fetch(`${fake.apiRoot}v4/spreadsheets/${fake.spreadsheetId}`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({ error: { code: 401, message: expect.stringContaining('invalid authentication credentials'), status: 'UNAUTHENTICATED' } });

    const g = createGoogleSheetsGateway({ serviceAccountJson: fake.serviceAccountJson, spreadsheetId: fake.spreadsheetId, apiRoot: fake.apiRoot, tokenUrl: fake.tokenUrl });
    const tooLow = await g.valuesBatchUpdate([{ range: 'Sheet1!A1000:A1001', values: [['x'], ['y']] }]).catch((e: unknown) => e);
    expect(tooLow).toBeInstanceOf(SheetsApiError);
    expect((tooLow as SheetsApiError).status).toBe(400);
    expect((tooLow as SheetsApiError).message).toContain('exceeds grid limits. Max rows: 1000, max columns: 26');
    const missing = await g.valuesBatchClear(["'无此表'!A1"]).catch((e: unknown) => e);
    expect((missing as SheetsApiError).message).toContain("Unable to parse range: '无此表'!A1");
    const dup = await g.batchUpdate([{ addSheet: { properties: { title: '甲' } } }, { addSheet: { properties: { title: '甲' } } }]).catch((e: unknown) => e);
    expect((dup as SheetsApiError).message).toContain('A sheet with the name "甲" already exists');
    expect(fake.sheetTitles()).toEqual(['Sheet1']);

    fake.inject({ status: 503, times: 1, delayMs: 50 });
    const slow = Date.now();
    const unavailable = await g.get().catch((e: unknown) => e);
    expect(Date.now() - slow).toBeGreaterThanOrEqual(45);
    expect(unavailable).toMatchObject({ status: 503, retryable: true });
    expect((await g.get()).sheets.map((s) => s.title)).toEqual(['Sheet1']);
  });

  it('grants a token only for a JWT signed with the service account key, at GOOGLE_TOKEN_URL', async () => {
    const g = createGoogleSheetsGateway({ serviceAccountJson: fake.serviceAccountJson, spreadsheetId: fake.spreadsheetId, apiRoot: fake.apiRoot, tokenUrl: fake.tokenUrl });
    await g.get();
    const token = fake.requests.find((r) => r.kind === 'token')!;
    expect(token.path).toBe('/token');
    expect(token.status).toBe(200);

    // The same claims signed by another key are refused.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iss: fake.clientEmail, scope: 'https://www.googleapis.com/auth/spreadsheets', aud: fake.tokenUrl, iat: now, exp: now + 3600 })}`;
    const sig = createSign('RSA-SHA256').update(body).sign(other.privateKey).toString('base64url');
    const res = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${body}.${sig}` }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });

    const forged = JSON.parse(fake.serviceAccountJson) as Record<string, string>;
    forged.private_key = other.privateKey;
    const bad = createGoogleSheetsGateway({ serviceAccountJson: JSON.stringify(forged), spreadsheetId: fake.spreadsheetId, apiRoot: fake.apiRoot, tokenUrl: fake.tokenUrl });
    const err = await bad.get().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect((err as Error).message).toContain('invalid_grant: Invalid JWT Signature.');
  });
});

describe('flush mechanics', () => {
  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter('Wed, 04 Nov 2014 02:01:00 GMT', Date.parse('2014-11-04T02:00:00Z'))).toBe(60);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('waits when a minute already holds the budget of requests', async () => {
    let now = 0;
    const slept: number[] = [];
    const budget = new RequestBudget(JSON.stringify(Array.from({ length: 50 }, (_, i) => i * 100)), () => now, async (ms) => {
      slept.push(ms);
      now += ms;
    });
    now = 10_000;
    await budget.take();
    expect(slept).toEqual([50_000]);
    expect(JSON.parse(budget.serialise())).toHaveLength(50);
  });

  it('clears rows below and columns to the right of what a tab held before', () => {
    const tab = { id: 'opinions' as const, title: "It's", widths: [], rows: [['a', 'b'], ['c']] };
    expect(shrunkRanges([tab], { opinions: { rows: 5, cols: 4 } })).toEqual(["'It''s'!A3:D5", "'It''s'!C1:D2"]);
    expect(shrunkRanges([tab], { opinions: { rows: 2, cols: 2 } })).toEqual([]);
    expect(shrunkRanges([tab], {})).toEqual([]);
  });
});

describe('concurrency and growth', () => {
  it('lets one flush at a time hold the lease, until it expires', async () => {
    const t = await makeSheetsApp(fake);
    expect(await acquireLease(t.db, 'a', 1000, 600_000)).toBe(true);
    expect(await acquireLease(t.db, 'b', 2000, 600_000)).toBe(false);
    await releaseLease(t.db, 'b');
    expect(await acquireLease(t.db, 'b', 3000, 600_000)).toBe(false);
    expect(await acquireLease(t.db, 'b', 601_000, 600_000)).toBe(true);
    await releaseLease(t.db, 'b');
    expect(await acquireLease(t.db, 'c', 601_001, 600_000)).toBe(true);

    // A flush that finds the lease taken leaves the jobs for the next run.
    await enqueueTabs(t.db, ['overview']);
    t.setNow(new Date(700_000));
    expect(await flushSheets(t.deps, { sleep: async () => {} })).toMatchObject({ status: 'busy' });
    expect(fake.requests).toEqual([]);
  });

  it('grows a tab\'s grid in the structure call before writing past its last row', async () => {
    const t = await makeSheetsApp(fake);
    await flushSheets(t.deps, { full: true, sleep: async () => {} });
    expect(fake.sheet('每日排名')!.rowCount).toBe(1000);
    // 1,100 ranking rows: more than a new tab's 1,000.
    const days = Array.from({ length: 55 }, (_, i) => `2014-${String(10 + Math.floor(i / 30)).padStart(2, '0')}-${String((i % 30) + 1).padStart(2, '0')}`);
    const unitCodes = (await t.db.select({ code: units.code }).from(units).where(eq(units.kind, 'department'))).map((u) => u.code);
    for (const day of days) {
      await t.db.insert(rankingSnapshots).values(unitCodes.map((unitCode, i) => ({ day, unitCode, grp: 'departments' as const, score: 5000, rank: i + 1, metrics: '{}', computedAt: 1 })));
    }
    await enqueueTabs(t.db, ['rankings']);
    fake.requests.length = 0;
    expect(await flushSheets(t.deps, { sleep: async () => {} })).toMatchObject({ status: 'sent' });
    const structure = fake.requests.find((r) => r.kind === 'batchUpdate')!.body as { requests: unknown[] };
    expect(structure.requests).toEqual([{ appendDimension: { sheetId: expect.any(Number), dimension: 'ROWS', length: 1101 - 1000 + 500 } }]);
    expect(fake.readTab('每日排名')).toHaveLength(1101);
  });
});

describe('status and commands', () => {
  it('reports the status on the office card and runs `sheets-sync --full`', async () => {
    const t = await makeSheetsApp(fake);
    await enqueueTabs(t.db, ['overview']);
    let html = String(<SheetStatusCard status={await getSheetStatus(t.deps)} />);
    expect(html).toContain('尚未同步');
    expect(html).toContain('待同步任务：<strong>1</strong>');

    const logs: string[] = [];
    const orig = console.log;
    console.log = (m: string) => logs.push(m);
    try {
      expect(await sheetsSyncCommand.run(t.deps, ['--full'])).toBe(0);
    } finally {
      console.log = orig;
    }
    expect(logs[0]).toMatch(/^Sent 6 tab\(s\)/);
    expect(fake.sheetTitles()).toEqual(['Sheet1', '总览', '每日排名', '隐患台账', '入户下访', '群众意见', '代表委员建议']);
    const status = await getSheetStatus(t.deps);
    expect(status).toEqual({ configured: true, lastSuccessAt: '2014-11-04T02:00:00.000Z', pending: 0, lastError: null, retryAt: null });
    html = String(<SheetStatusCard status={status} />);
    expect(html).toContain('上次同步成功：2014-11-04 10:00');

    t.deps.sheets = null;
    const errors: string[] = [];
    const origErr = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await sheetsSyncCommand.run(t.deps, [])).toBe(2);
    } finally {
      console.error = origErr;
    }
    expect(errors[0]).toContain('GOOGLE_SERVICE_ACCOUNT');
  });

  it('enqueues the hazard tab in the same transaction as a hazard transition', async () => {
    const t = await makeSheetsApp(fake);
    await submit(t, 'hazard-tip', { category: 'internet-cafe', place: '某小学门口网吧', description: '学校旁边开了网吧' }, 'xiguan');
    await flushSheets(t.deps, { sleep: async () => {} });
    expect(await t.db.select().from(sheetOutbox)).toEqual([]);
    const [h] = await t.db.select().from(hazards);
    await transition(t.deps, { hazardId: h!.id, actor: { role: 'admin', codeId: 1, unitCode: 'office' }, action: 'assign', input: { leadUnit: 'culture', deadline: '2014-11-10' } });
    expect((await t.db.select({ tab: sheetOutbox.tab }).from(sheetOutbox).orderBy(sheetOutbox.id)).map((r) => r.tab)).toEqual(['overview', 'hazards']);
    await flushSheets(t.deps, { sleep: async () => {} });
    const [row] = await t.db.select({ state: hazards.state }).from(hazards).where(eq(hazards.id, h!.id));
    expect(row!.state).toBe('assigned');
    expect(fake.readTab('隐患台账')[1]).toEqual(['YH-20141104-0001', '网吧', '某小学门口网吧', '区文化广电局', '已交办，待签收', '2014-11-10', '', '2014-11-04']);
  });
});
