// Phones first (issue 18), in Chromium at 375×667: every page each role reaches — the public forms and receipts,
// the unit portal, the office and the leader page — has no critical or serious axe-core fault and no horizontal scroll;
// a 3 MB photo chosen on a 3G line is shrunk before it leaves the phone and kept when the form comes back with errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { createApp } from '../../../src/app.tsx';
import { workersClientAddress } from '../../../src/runtime/workers/client-address.ts';
import { hazards } from '../../../src/db/schema.ts';
import { seedOrganisation } from '../../../src/core/seed.ts';
import { computeSnapshot } from '../../../src/rankings/index.ts';
import organisation from '../../../forms/organisation.ts';
import type { TestContext } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { cameraPhoto, emulate3G, horizontalOverflow, seriousAxeFaults, smallTargets, startBrowserRun, THREE_G, type BrowserRun } from '../../helpers/browser.ts';
import { submissions } from '../../../src/db/schema.ts';
import { memoryPhotoStore } from '../../../src/submissions/photos.ts';

const MORNING = Date.parse('2014-11-04T02:00:00Z');
/** Pages of one template look alike: the crawl checks this many of each, and this many pages per role at most. */
const PER_TEMPLATE = 1;
const MAX_PAGES = 60;
/** Downloads and images are not pages. */
const NOT_A_PAGE = /\.(csv|xlsx|json|png|jpe?g|svg|webp)$|^\/(qr|assets)\/|\/photos\/|^\/signout/;

let run: BrowserRun;
let t: TestContext;
const receipts: Record<string, string> = {};
const photos = memoryPhotoStore();
/** The size of each public form post as the server received it. */
const posted: number[] = [];

beforeAll(async () => {
  run = await startBrowserRun({
    startsAt: MORNING,
    prepare: (db) => seedOrganisation(db, organisation),
    deps: { photos },
    observe: (req) => {
      if (req.method === 'POST' && new URL(req.url).pathname === '/f/hazard-tip') posted.push(Number(req.headers.get('content-length') ?? -1));
    },
  });
  // The set-up requests go through app.request (no socket): the client address is read from headers there.
  const deps = { ...run.deps, clientAddress: workersClientAddress };
  t = { db: run.db, deps, app: createApp(deps), setNow() {} };
  // A little of everything, so that every list has a row: an answer, two tips (one assigned), a suggestion, a visit.
  for (const [form, body, query] of [
    ['mass-feedback', VALID['mass-feedback'], '?u=chencang-v1'],
    ['hazard-tip', { ...VALID['hazard-tip'], noticedOn: '2014-11-03' }, '?u=chencang-v1'],
    ['deputy-suggestion', { ...VALID['deputy-suggestion'], department: 'police' }, ''],
  ] as const) {
    const res = await postJson(t, `/api/v1/forms/${form}/submissions${query}`, body);
    if (res.status !== 201) throw new Error(`${form}: ${res.status} ${await res.text()}`);
    const { id, receipt } = (await res.json()) as { id: number; receipt: string };
    receipts[form] = receipt;
    if (form === 'hazard-tip') {
      const hazard = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) });
      await api('office', `/api/v1/admin/hazards/${hazard!.id}/transitions`, { action: 'assign', leadUnit: 'chencang', deadline: '2014-11-10' });
    }
  }
  const listed = await api('chencang', '/api/v1/unit/cadres');
  const cadres = (await listed.json()) as { id: number }[];
  if (!cadres.length) throw new Error(`cadres: ${listed.status} ${JSON.stringify(cadres)}`);
  await api('chencang', '/api/v1/unit/forms/household-visit/submissions', { cadre: cadres[0]!.id, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '张三', address: '3组15号', phone: '13812341234', almanac: true, aware: true, participated: false, satisfaction: 'satisfied', opinions: '路灯坏了', followUp: true,
  });
  await computeSnapshot(run.deps, '2014-11-03');
}, 60_000);

afterAll(async () => {
  await run?.close();
});

/** A page's template: its path with ids and codes as placeholders, and its query's names. */
function template(path: string): string {
  const url = new URL(path, 'http://x');
  const p = url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id').replace(/^\/(r|posters)\/[^/]+/, '/$1/:code').replace(/^\/(unit\/forms|admin\/forms)\/[^/]+/, '$1/:form');
  return `${p}?${[...new Set(url.searchParams.keys())].sort().join('&')}`;
}

/** A baseline or progressive JPEG's width and height, from its start-of-frame segment. */
function jpegSize(b: Uint8Array): [number, number] {
  for (let i = 2; i + 9 < b.length; ) {
    if (b[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = b[i + 1]!;
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    if (marker === 0xc0 || marker === 0xc2) return [(b[i + 7]! << 8) | b[i + 8]!, (b[i + 5]! << 8) | b[i + 6]!];
    i += 2 + length;
  }
  throw new Error('no frame');
}

interface Finding {
  page: string;
  problem: string;
}

/** Walks from the start pages through every same-site link, one page per template, checking each as it stands. */
async function walk(start: string[]): Promise<{ pages: string[]; findings: Finding[] }> {
  const { page, base } = run;
  const queue = [...start];
  const seen = new Set<string>();
  const templates = new Map<string, number>();
  const pages: string[] = [];
  const findings: Finding[] = [];
  while (queue.length && pages.length < MAX_PAGES) {
    const path = queue.shift()!;
    if (seen.has(path) || NOT_A_PAGE.test(path.split('?')[0]!)) continue;
    seen.add(path);
    const n = templates.get(template(path)) ?? 0;
    if (n >= PER_TEMPLATE) continue;
    templates.set(template(path), n + 1);
    const res = await page.goto(base + path);
    if (!res || res.status() >= 400 || !(res.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    pages.push(path);
    for (const f of await seriousAxeFaults(page)) findings.push({ page: path, problem: `${f.impact} ${f.rule}: ${f.targets.join(' | ')}` });
    const over = await horizontalOverflow(page);
    if (over > 0) findings.push({ page: path, problem: `${over}px wider than the screen` });
    // Primary actions and navigation take a thumb: 44 px high at least.
    for (const small of await smallTargets(page, 'nav a, a.btn, button.btn, ul.actions a')) findings.push({ page: path, problem: `touch target "${small.text}" is ${small.h}px high` });
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) {
      const u = new URL(href);
      if (u.origin === base) queue.push(u.pathname + u.search);
    }
  }
  return { pages, findings };
}

/** A JSON API call with a fresh access code of the unit as its Bearer token. */
async function api(unitCode: string, path: string, body?: unknown) {
  const { code } = await issueAccessCode(t.db, { unitCode, label: 'test' });
  return t.app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Signs the browser in through the sign-in page, as a person would. */
async function signInAs(unitCode: string, opts: { leader?: boolean } = {}) {
  const { page, base, context } = run;
  const { code } = await issueAccessCode(t.db, { unitCode, leader: opts.leader, label: 'test' });
  await context.clearCookies();
  await page.goto(`${base}/signin`);
  await page.fill('#code', code);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/signin'), page.click('button[type=submit]:has-text("登录")')]);
}

describe('on a phone (375×667)', () => {
  // One walk per role (each some 10–60 pages through axe-core): a bound for a busy machine, not a speed expectation.
  const ROLES: [string, string | null, string[], boolean][] = [
    ['a resident', null, [], false],
    ['a town', 'chencang', ['/unit'], false],
    ['the police branch', 'police', ['/unit'], false],
    ['the office', 'office', ['/admin', '/unit?unit=chencang'], false],
    ['a leader', 'office', ['/leader'], true],
  ];
  it.each(ROLES)('every page %s reaches has no serious accessibility fault and no horizontal scroll', { timeout: 240_000 }, async (name, unit, start, leader) => {
    await run.context.clearCookies();
    if (unit) await signInAs(unit, { leader });
    const r = await walk(
      unit ? [...start] : ['/', `/r/${receipts['hazard-tip']}`, `/r/${receipts['mass-feedback']}`, `/r/${receipts['deputy-suggestion']}`, '/r', '/signin', '/posters/chencang-v1'],
    );
    if (r.findings.length) console.log(r.findings.map((f) => `${f.page}\t${f.problem}`).join('\n'));
    console.log(`pages checked for ${name}: ${r.pages.length}`);
    expect(r.pages.length).toBeGreaterThan(3);
    expect(r.findings).toEqual([]);
    if (!leader) return;
    // The leader's chart reads at 375 px: every unit's score in figures at a readable size, on screen.
    await run.page.goto(`${run.base}/leader`);
    const scores = await run.page.locator('ol.hbars .score').evaluateAll((els) =>
      els.map((e) => ({ text: (e as HTMLElement).innerText, size: parseFloat(getComputedStyle(e).fontSize), right: e.getBoundingClientRect().right })),
    );
    expect(scores.length).toBeGreaterThan(3);
    for (const s of scores) {
      expect(s.text).toMatch(/^\d+\.\d{2}/);
      expect(s.size).toBeGreaterThanOrEqual(14);
      expect(s.right).toBeLessThanOrEqual(375);
    }
    await run.shot('phones-leader-chart');
  });

  it('a 3 MB photo chosen on 3G is shrunk on the phone, arrives in seconds, and is kept when the form comes back with an error', { timeout: 150_000 }, async () => {
    const { page, base } = run;
    await run.context.clearCookies();
    const photo = await cameraPhoto(page);
    expect(photo.length).toBeGreaterThan(2.5e6);
    await page.goto(`${base}/f/hazard-tip?u=chencang-v1`);
    const normal = await emulate3G(run);
    try {
      await page.selectOption('#f-category', 'fire');
      await page.fill('#f-place', '桥'); // the mistake: too short
      await page.fill('#f-description', '三组出租屋楼道堆满杂物，消防通道被堵死');
      await page.setInputFiles('#f-photo', { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
      posted.length = 0;
      await page.click('button[type=submit]');
      // Shrinking a 12-megapixel photo takes the phone's CPU a moment (longer on a busy test machine): no time limit on it.
      await page.waitForSelector('#error-summary', { timeout: 90_000 });
    } finally {
      await normal();
    }
    // What left the phone: one post, small enough for 250 kbit/s up in well under 10 s.
    expect(posted).toHaveLength(1);
    const seconds = posted[0]! / THREE_G.uploadThroughput + THREE_G.latency / 1000;
    expect(posted[0]!).toBeLessThan(400_000);
    expect(seconds).toBeLessThan(10);
    // The photo is kept: said beside the field, carried by the form, stored already (shrunk, long side 1280 at most).
    expect(await page.locator('#f-place-err').innerText()).toBe('至少填写2个字');
    expect(await page.locator('#f-photo-kept').innerText()).toContain('照片已收到');
    expect(photos.keys()).toHaveLength(1);
    const kept = (await photos.get(photos.keys()[0]!))!;
    expect(kept.type).toBe('image/jpeg');
    expect(kept.bytes.length).toBeLessThan(400_000);
    expect(jpegSize(kept.bytes)).toEqual([1280, 960]);
    await run.shot('phones-photo-kept');

    // Corrected and sent again without choosing the photo again: the tip has it.
    await page.fill('#f-place', '陈仓示范村一三组12号出租屋');
    await Promise.all([page.waitForURL(/\/r\/[A-Z0-9]+$/), page.click('button[type=submit]')]);
    expect(await page.locator('h1').innerText()).toBe('已收到您的提交');
    const [tip] = await run.db.select().from(submissions).where(eq(submissions.formId, 'hazard-tip')).orderBy(desc(submissions.id)).limit(1);
    expect(JSON.parse(tip!.payload).photo).toBe(photos.keys()[0]);
    expect(photos.keys()).toHaveLength(1);
  });

  it('a poster prints as one full page of A4, A5 or A6', { timeout: 60_000 }, async () => {
    const { page, base } = run;
    // PDF points: A4 595×842, A5 420×595, A6 298×420.
    const sizes = { a4: [595, 842], a5: [420, 595], a6: [298, 420] } as const;
    for (const [size, [w, h]] of Object.entries(sizes)) {
      await page.goto(`${base}/posters/chencang-v1${size === 'a4' ? '' : `?size=${size}`}`);
      await page.waitForFunction(() => [...document.images].every((i) => i.complete));
      const pdf = Buffer.from(await page.pdf({ preferCSSPageSize: true })).toString('latin1');
      // One page, of the poster's paper (the page tree may repeat the box it gives its page).
      expect(pdf.match(/\/Type\s*\/Page(?![s\w])/g), size).toHaveLength(1);
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => `${Math.round(Number(m[1]))}×${Math.round(Number(m[2]))}`);
      expect(new Set(boxes), size).toEqual(new Set([`${w}×${h}`]));
      // The poster fills the page: its foot line sits in the bottom fifth of the printed page.
      await page.emulateMedia({ media: 'print' });
      const fill = await page.evaluate(() => {
        const p = document.querySelector('.poster')!;
        const notes = p.querySelectorAll(':scope > p.muted');
        const foot = notes[notes.length - 1]!;
        return (foot.getBoundingClientRect().bottom - p.getBoundingClientRect().top) / p.getBoundingClientRect().height;
      });
      await page.emulateMedia({ media: null });
      expect(fill, size).toBeGreaterThan(0.8);
    }
  });
});
