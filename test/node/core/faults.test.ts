// Faults: the database failing at every statement of a submission (no partial rows, 503 with a message to retry,
// a retry that then stores it once), a commit whose answer is lost, and a database that is gone altogether.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../src/db/index.ts';
import { issueAccessCode, OFFICE_UNIT } from '../../../src/auth/codes.ts';
import { DATABASE_RETRY_MESSAGE } from '../../../src/submissions/routes.tsx';
import { memoryPhotoStore } from '../../../src/submissions/photos.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { diskError, faultyDb, networkError, type Faults } from '../../helpers/faulty-db.ts';

const TABLES = ['submissions', 'submission_personal', 'submission_audit', 'form_tokens', 'hazards', 'hazard_events', 'hazard_co_units', 'sheet_outbox'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

const TIP = {
  category: 'rental-housing',
  place: '中山东路12号出租屋',
  description: '楼道堆满杂物，堵住了消防通道',
  contactName: '李四',
  contactPhone: '13812345678',
};
const RETRY_MESSAGE = /尚未保存.*请稍后重试/;
/** A 1×1 PNG. */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (ch) => ch.charCodeAt(0));

async function counts(db: Db): Promise<Counts> {
  const out = {} as Counts;
  for (const t of TABLES) {
    const [row] = await db.all<{ n: number }>(sql.raw(`select count(*) as n from ${t}`));
    out[t] = row!.n;
  }
  return out;
}

/** Rows that only make sense with their partner: a tip without its contact row, a hazard without its tip or its first event. */
async function orphans(db: Db) {
  const [r] = await db.all<{ noPersonal: number; noSubmission: number; noEvent: number }>(sql`select
    (select count(*) from submissions s where s.form_id = 'hazard-tip' and not exists (select 1 from submission_personal p where p.submission_id = s.id)) as noPersonal,
    (select count(*) from hazards h where h.source = 'tip' and not exists (select 1 from submissions s where s.id = h.submission_id)) as noSubmission,
    (select count(*) from hazards h where not exists (select 1 from hazard_events e where e.hazard_id = h.id)) as noEvent`);
  return r;
}

async function setup() {
  const { db, faults } = await faultyDb();
  const logged: string[] = [];
  const push = (message: string, fields?: Record<string, unknown>) => void logged.push(JSON.stringify({ message, ...fields }));
  const t = await makeTestApp({ seed: false, deps: { db, log: { info: push, warn: push, error: push } } });
  return { db, faults, app: t.app, logged };
}

/** A failed insert's values include the tipster's name and phone; they must not reach the logs with the error. */
function expectNoPersonalData(logged: string[]) {
  expect(logged.length).toBeGreaterThan(0);
  for (const line of logged) {
    expect(line).not.toContain(TIP.contactPhone);
    expect(line).not.toContain(TIP.contactName);
  }
}

const postTip = (app: Awaited<ReturnType<typeof setup>>['app'], key: string) =>
  app.request('/api/v1/forms/hazard-tip/submissions?u=zhongshan-east-c1', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(TIP),
  });

async function pageToken(app: Awaited<ReturnType<typeof setup>>['app']): Promise<string> {
  const html = await (await app.request('/f/hazard-tip')).text();
  const m = /name="_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no form token on the page');
  return m[1]!;
}

const postTipPage = (app: Awaited<ReturnType<typeof setup>>['app'], token: string) =>
  app.request('/f/hazard-tip', { method: 'POST', body: new URLSearchParams({ ...TIP, _token: token }) });

/** Cuts the database at statement 1, 2, 3… of `attempt` until one gets through; returns how many cuts there were. */
async function cutEverywhere(db: Db, faults: Faults, error: () => Error, attempt: (n: number) => Response | Promise<Response>, failed: (res: Response) => Promise<void>) {
  const empty = await counts(db);
  for (let n = 1; n < 100; n++) {
    faults.set({ at: n, error });
    const res = await attempt(n);
    const fired = faults.fired;
    faults.clear();
    if (!fired) return { cuts: n - 1, res, empty };
    await failed(res);
    expect(await counts(db), `database cut at statement ${n}`).toEqual(empty);
  }
  throw new Error('the request never got through');
}

describe('the database failing mid-request', () => {
  it.each([
    ['a failing disk', diskError],
    ['a lost connection to the libSQL server', networkError],
  ])('API: %s at any statement of a hazard tip stores nothing and answers 503 with a message to retry; the retry stores it once', async (_name, error) => {
    const { db, faults, app, logged } = await setup();
    const { cuts, res } = await cutEverywhere(
      db,
      faults,
      error,
      (n) => postTip(app, `tip-${n}`),
      async (r) => {
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toBe('30');
        const body = (await r.json()) as { error: string; message: string };
        expect(body.error).toBe('UNAVAILABLE');
        expect(body.message).toMatch(RETRY_MESSAGE);
      },
    );
    // The form check and the one batch (submission, personal row, hazard, event, outbox, notice): each cut once.
    expect(cuts).toBeGreaterThanOrEqual(2);
    expectNoPersonalData(logged);
    expect(res.status).toBe(201);
    const after = await counts(db);
    expect(after).toMatchObject({ submissions: 1, submission_personal: 1, hazards: 1, form_tokens: 0, submission_audit: 0 });
    expect(after.hazard_events).toBeGreaterThanOrEqual(1);
    expect(after.sheet_outbox).toBeGreaterThanOrEqual(1);
    expect(await orphans(db)).toEqual({ noPersonal: 0, noSubmission: 0, noEvent: 0 });

    // A client that retries a failed request with its key gets it stored exactly once.
    const retried = await postTip(app, 'tip-1');
    expect(retried.status).toBe(201);
    const again = await postTip(app, 'tip-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: number }).id).toBe(((await retried.json()) as { id: number }).id);
    expect((await counts(db)).submissions).toBe(2);
    expect((await counts(db)).hazards).toBe(2);
  });

  it('page: a failure at any statement of a tip answers 503 with the form and every answer kept, stores nothing, and sending the page again stores it once', async () => {
    const { db, faults, app, logged } = await setup();
    const token = await pageToken(app);
    const { cuts, res } = await cutEverywhere(
      db,
      faults,
      diskError,
      () => postTipPage(app, token),
      async (r) => {
        expect(r.status).toBe(503);
        expect(r.headers.get('content-type')).toContain('text/html');
        expect(r.headers.get('retry-after')).toBe('30');
        const html = await r.text();
        expect(html).toContain(DATABASE_RETRY_MESSAGE);
        // The person's own answers are back in the form (as after a validation error), with the same one-time token.
        for (const v of [TIP.place, TIP.description, TIP.contactName]) expect(html).toContain(v);
        expect(html).toContain(`name="_token" value="${token}"`);
      },
    );
    // The page's write is its one batch (the form it names is held): cutting it is the whole story.
    expect(cuts).toBeGreaterThanOrEqual(1);
    expectNoPersonalData(logged);
    expect(res.status).toBe(303);
    const receipt = res.headers.get('location');
    expect(receipt).toMatch(/^\/r\/[A-Z0-9]{10}$/);
    // The token was not spent by the failed attempts, and a double tap now finds the stored tip.
    const tap = await postTipPage(app, token);
    expect(tap.status).toBe(303);
    expect(tap.headers.get('location')).toBe(receipt);
    expect(await counts(db)).toMatchObject({ submissions: 1, submission_personal: 1, hazards: 1, form_tokens: 1 });
    expect(await orphans(db)).toEqual({ noPersonal: 0, noSubmission: 0, noEvent: 0 });
  });

  it('page with a photo: a failure at any statement leaves no stored photo behind (no picture without its tip)', async () => {
    const { db, faults } = await faultyDb();
    const photos = memoryPhotoStore();
    const { app } = await makeTestApp({ seed: false, deps: { db, photos } });
    const post = async () => {
      const html = await (await app.request('/f/hazard-tip')).text();
      const token = /name="_token" value="([^"]+)"/.exec(html)![1]!;
      const fd = new FormData();
      for (const [k, v] of Object.entries({ ...TIP, _token: token })) fd.append(k, v);
      fd.append('photo', new Blob([PNG], { type: 'image/png' }), 'photo.png');
      faults.set({ at: cut, error: diskError });
      return app.request('/f/hazard-tip', { method: 'POST', body: fd });
    };
    let cut = 1;
    for (; cut < 100; cut++) {
      const res = await post();
      const fired = faults.fired;
      faults.clear();
      if (!fired) {
        expect(res.status).toBe(303);
        break;
      }
      expect(res.status, `cut at ${cut}`).toBe(503);
      expect(photos.keys(), `cut at ${cut}`).toEqual([]);
      expect((await counts(db)).submissions).toBe(0);
    }
    expect(cut).toBeGreaterThanOrEqual(1);
    expect(photos.keys()).toHaveLength(1);
    const [row] = await db.all<{ payload: string }>(sql`select payload from submissions`);
    expect(row!.payload).toContain(photos.keys()[0]!);
  });

  it('page with a photo, commit landed but its answer lost: the photo stays with the stored tip, and the resent page finds it', async () => {
    const { db, faults } = await faultyDb();
    const photos = memoryPhotoStore();
    const { app } = await makeTestApp({ seed: false, deps: { db, photos } });
    const html = await (await app.request('/f/hazard-tip')).text();
    const token = /name="_token" value="([^"]+)"/.exec(html)![1]!;
    const post = () => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ ...TIP, _token: token })) fd.append(k, v);
      fd.append('photo', new Blob([PNG], { type: 'image/png' }), 'photo.png');
      return app.request('/f/hazard-tip', { method: 'POST', body: fd });
    };
    faults.set({ at: 1, only: 'commit', afterCommit: true, error: networkError });
    expect((await post()).status).toBe(503);
    faults.clear();
    const [row] = await db.all<{ payload: string; receipt: string }>(sql`select payload, receipt from submissions`);
    expect(photos.keys()).toHaveLength(1);
    expect(row!.payload).toContain(photos.keys()[0]!);
    // The person presses send again: the same receipt, and the second copy of the photo is not kept.
    const again = await post();
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`/r/${row!.receipt}`);
    expect(photos.keys()).toHaveLength(1);
    expect((await counts(db)).submissions).toBe(1);
  });

  it('a commit that lands but whose answer is lost: the retry with the same key returns the stored submission and stores nothing new', async () => {
    const { db, faults, app } = await setup();
    expect((await postTip(app, 'first')).status).toBe(201);
    const before = await counts(db);

    faults.set({ at: 1, only: 'commit', afterCommit: true, error: networkError });
    const lost = await postTip(app, 'lost-answer');
    expect(faults.fired).toBe(true);
    faults.clear();
    expect(lost.status).toBe(503);
    const stored = await counts(db);
    expect(stored.submissions).toBe(before.submissions + 1);

    const retry = await postTip(app, 'lost-answer');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await counts(db)).toEqual(stored);
    const [row] = await db.all<{ id: number }>(sql`select id from submissions where idempotency_key = 'lost-answer'`);
    expect(((await retry.json()) as { id: number }).id).toBe(row!.id);
  });

  it('a database that is gone: /healthz and submissions answer 503, nothing half-written, and everything works again when it is back', async () => {
    const { db, faults, app } = await setup();
    const empty = await counts(db);
    faults.set({ at: 1, sticky: true, error: networkError });
    const health = await app.request('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, db: 'unreachable' });
    const api = await postTip(app, 'while-down');
    expect(api.status).toBe(503);
    expect(((await api.json()) as { message: string }).message).toMatch(RETRY_MESSAGE);
    // The feedback page needs no database to be drawn, so even now it comes back with the answers in it.
    const page = await app.request('/f/mass-feedback', { method: 'POST', body: new URLSearchParams({ satisfaction: 'satisfied', aware: 'yes', participated: 'no', opinion: '停电时提交的意见' }) });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain(DATABASE_RETRY_MESSAGE);
    expect(html).toContain('停电时提交的意见');
    // When the page itself needs the database (naming the ?u= unit), the plain 503 page says the same.
    const attributed = await app.request('/f/mass-feedback?u=zhongshan-east-c1', { method: 'POST', body: new URLSearchParams({ satisfaction: 'satisfied', aware: 'yes', participated: 'no' }) });
    expect(attributed.status).toBe(503);
    expect(await attributed.text()).toMatch(RETRY_MESSAGE);
    faults.clear();

    expect(await counts(db)).toEqual(empty);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await postTip(app, 'while-down')).status).toBe(201);
    expect((await counts(db)).submissions).toBe(1);
  });
});

describe('the database failing under the other writers', () => {
  it("a liaison's visit through the unit API: 503 at any statement, nothing stored, then stored once", async () => {
    const { db, faults, app, logged } = await setup();
    const { code } = await issueAccessCode(db, { unitCode: 'chencang' });
    const [cadre] = await db.all<{ id: number }>(sql`select id from cadres where unit_code = 'chencang' and role = 'cadre' limit 1`);
    const visit = {
      cadre: cadre!.id,
      visitDate: '2014-11-04',
      place: 'chencang-v1',
      householdHead: '赵六',
      address: '陈仓示范村一5组2号',
      phone: '13900001111',
      almanac: 'yes',
      aware: 'yes',
      participated: 'no',
      satisfaction: 'basically_satisfied',
    };
    const { cuts, res } = await cutEverywhere(
      db,
      faults,
      networkError,
      (n) =>
        app.request('/api/v1/unit/forms/household-visit/submissions', {
          method: 'POST',
          headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json', 'idempotency-key': `visit-${n}` },
          body: JSON.stringify(visit),
        }),
      async (r) => {
        expect(r.status).toBe(503);
        expect(((await r.json()) as { message: string }).message).toMatch(RETRY_MESSAGE);
      },
    );
    expect(cuts).toBeGreaterThanOrEqual(4);
    expect(res.status).toBe(201);
    expect(await counts(db)).toMatchObject({ submissions: 1, submission_personal: 1 });
    for (const line of logged) expect(line).not.toContain(visit.phone);
  });

  it('the office assigning a hazard: at any cut the hazard keeps its state and gets no event; then one move, one event', async () => {
    const { db, faults, app } = await setup();
    expect((await postTip(app, 'tip')).status).toBe(201);
    const [hazard] = await db.all<{ id: number; state: string }>(sql`select id, state from hazards`);
    const { code } = await issueAccessCode(db, { unitCode: OFFICE_UNIT });
    const before = await db.all(sql`select state, lead_unit_code, deadline from hazards`);
    const { cuts, res } = await cutEverywhere(
      db,
      faults,
      diskError,
      () =>
        app.request(`/api/v1/admin/hazards/${hazard!.id}/transitions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'assign', leadUnit: 'police', days: 3 }),
        }),
      async (r) => {
        expect(r.status).toBe(503);
        expect(await db.all(sql`select state, lead_unit_code, deadline from hazards`)).toEqual(before);
      },
    );
    expect(cuts).toBeGreaterThanOrEqual(3);
    expect(res.status).toBe(200);
    const [after] = await db.all<{ state: string; lead: string }>(sql`select state, lead_unit_code as lead from hazards`);
    expect(after).toEqual({ state: 'assigned', lead: 'police' });
    const events = await db.all<{ action: string }>(sql`select action from hazard_events order by id`);
    expect(events.filter((e) => e.action === 'assign')).toHaveLength(1);
  });
});
