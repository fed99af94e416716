// The crawler: every role walks from its home through every link and GET form the app shows, and every page it
// reaches answers without a 5xx, a dead link, a missing title or lang, a dangling <label for>, or 'undefined' on screen.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { makeTestApp, TEST_BASE_URL, type TestContext } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { SAME_ORIGIN, signIn } from '../../helpers/unit-portal.ts';
import { computeSnapshot } from '../../../src/rankings/index.ts';
import { hazards } from '../../../src/db/schema.ts';
import { memoryPhotoStore } from '../../../src/submissions/photos.ts';

// The office reaches every unit's dashboard, poster and edit form: more than 400 pages in the demo.
const MAX_PAGES = 600;
/** What a template shows when a value went missing on the way: never meant for a person's eyes. */
const RAW_VALUE = /(?<![\w-])(undefined|null|NaN|Infinity)(?![\w-])|\[object Object\]|Invalid Date/;
const PUBLIC_MAX_BYTES = 30 * 1024;

/** Downloads are checked for status and type only; the crawler never parses them. */
const DOWNLOADS: [RegExp, RegExp][] = [
  [/\.csv$/, /^text\/csv/],
  [/\/export\.json$/, /^application\/json/],
  [/\.xlsx$/, /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/],
  [/\.png$/, /^image\/png/],
  [/\.jpe?g$/, /^image\/jpeg/],
  [/\.svg$/, /^image\/svg\+xml/],
  [/^\/qr\//, /^image\//],
  [/\/photos\//, /^image\//],
];

/** Pages excluded from the crawl, each with the bug that keeps it out. Empty when everything works. */
const KNOWN_BROKEN: { role: string; path: RegExp; bug: string }[] = [];

interface Problem {
  role: string;
  page: string;
  problem: string;
  from?: string;
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decode(m[1] ?? m[2] ?? m[3] ?? '') : null;
};

/** Same-site path+query of an href, or null for other sites, fragments, javascript: and the like. */
function sameSite(href: string, base: string): string | null {
  const h = href.trim();
  if (!h || h.startsWith('#') || /^(javascript|mailto|tel|data|sms):/i.test(h)) return null;
  const url = new URL(h, TEST_BASE_URL + base);
  if (url.origin !== TEST_BASE_URL) return null;
  return url.pathname + url.search;
}

/**
 * Outgoing targets of a page: every <a href> and every GET form's action with its hidden and preset fields (`links`),
 * and the same forms with each other option of their selects (`variants`, crawled once the links run out).
 */
function targets(html: string, page: string): { links: string[]; variants: string[] } {
  const out: string[] = [];
  const variants: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*>/gi)) {
    const href = attr(m[0], 'href');
    if (href === null) continue;
    if (attr(m[0], 'download') !== null && !href) continue;
    const t = sameSite(href, page);
    if (t) out.push(t);
  }
  // Images the page shows (QR codes, hazard photos) must load too.
  for (const m of html.matchAll(/<img\b[^>]*>/gi)) {
    const t = sameSite(attr(m[0], 'src') ?? '', page);
    if (t) out.push(t);
  }
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const method = (attr(`<form ${m[1]}>`, 'method') ?? 'get').toLowerCase();
    if (method !== 'get') continue;
    const action = attr(`<form ${m[1]}>`, 'action') ?? page;
    const base = sameSite(action, page);
    if (!base) continue;
    const url = new URL(base, TEST_BASE_URL);
    // The form replaces the action's query with its fields, as a browser does.
    url.search = '';
    for (const input of m[2]!.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input[0], 'name');
      const type = (attr(input[0], 'type') ?? 'text').toLowerCase();
      if (!name || type === 'submit' || type === 'button' || type === 'file') continue;
      if ((type === 'checkbox' || type === 'radio') && attr(input[0], 'checked') === null) continue;
      url.searchParams.append(name, attr(input[0], 'value') ?? '');
    }
    // Each select is tried with every option it offers (the others at their preset), as someone picking would.
    const selects = [...m[2]!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)].flatMap((select) => {
      const name = attr(`<select ${select[1]}>`, 'name');
      if (!name) return [];
      const options = [...select[2]!.matchAll(/<option\b[^>]*>/gi)].map((o) => o[0]);
      const chosen = options.find((o) => attr(o, 'selected') !== null) ?? options[0];
      return chosen ? [{ name, preset: attr(chosen, 'value') ?? '', values: options.map((o) => attr(o, 'value') ?? '') }] : [];
    });
    const withSelects = (pick?: { name: string; value: string }) => {
      const u = new URL(url);
      for (const s of selects) u.searchParams.append(s.name, pick?.name === s.name ? pick.value : s.preset);
      return u.pathname + u.search;
    };
    out.push(withSelects());
    for (const s of selects) for (const value of s.values) variants.push(withSelects({ name: s.name, value }));
  }
  return { links: out, variants };
}

/** What a person sees: the body without scripts, styles and tags. */
function visibleText(html: string): string {
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return decode(
    body
      .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
      .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
      .replace(/<[^>]+>/g, ' '),
  );
}

function checkHtml(role: string, page: string, html: string, bytes: number, problems: Problem[]) {
  const add = (problem: string) => problems.push({ role, page, problem });
  if (!/<html\b[^>]*\slang="zh-CN"/i.test(html)) add('no <html lang="zh-CN">');
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  if (!title) add('no <title>');
  const path = page.split('?')[0]!;
  if ((path === '/' || path.startsWith('/f/') || path.startsWith('/r/') || path === '/r') && bytes > PUBLIC_MAX_BYTES) add(`public page is ${bytes} bytes (> 30 KB)`);
  const idList = [...html.matchAll(/\sid\s*=\s*"([^"]*)"/gi)].map((m) => decode(m[1]!));
  const ids = new Set(idList);
  // A repeated id sends a label (and getElementById focus) to the wrong field.
  const repeated = [...new Set(idList.filter((id, i) => idList.indexOf(id) !== i))];
  if (repeated.length) add(`id used more than once: ${repeated.join(', ')}`);
  for (const m of html.matchAll(/<label\b[^>]*>/gi)) {
    const f = attr(m[0], 'for');
    if (f !== null && !ids.has(f)) add(`<label for="${f}"> names no element`);
  }
  const raw = RAW_VALUE.exec(visibleText(html));
  if (raw) add(`raw '${raw[0]}' on screen`);
  // Whole words only: a random form token may well contain the letters 'NaN'.
  const rawAttr =
    /\s(?:href|src|action|for|id|name)="(?:[^"]*[^A-Za-z0-9"])?(?:undefined|NaN|\[object Object\])(?:[^A-Za-z0-9"][^"]*)?"/.exec(html) ??
    /\svalue="(?:undefined|null|NaN|\[object Object\])"/.exec(html);
  if (rawAttr) add(`raw value in an attribute:${rawAttr[0]}`);
}

/** A page's template, roughly: its path and the names of its query parameters. */
const shape = (path: string) => {
  const url = new URL(path, TEST_BASE_URL);
  return `${url.pathname}?${[...new Set(url.searchParams.keys())].sort().join('&')}`;
};

/** Of the pages reached only through other select options, this many per template are enough. */
const VARIANTS_PER_SHAPE = 3;

async function crawl(t: TestContext, role: string, start: string[], cookie?: string): Promise<{ problems: Problem[]; pages: number }> {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  type Item = { path: string; from: string; variant: boolean; option?: boolean };
  // Links first; every unit × every form is hundreds of pages of the same templates, so the other select options
  // (and what they lead to) come after, breadth-first, a few per template.
  const queue: Item[] = start.map((path) => ({ path, from: '(start)', variant: false }));
  const later: Item[] = [];
  const shapes = new Map<string, number>();
  let pages = 0;
  while ((queue.length || later.length) && pages < MAX_PAGES) {
    const item = queue.length ? queue.shift()! : later.shift()!;
    const { path, from, variant } = item;
    if (seen.has(path)) continue;
    seen.add(path);
    if (variant) {
      const n = shapes.get(shape(path)) ?? 0;
      // The select's own pages (one per option) are all crawled; what lies behind them, a few per template.
      if (!item.option && n >= VARIANTS_PER_SHAPE) continue;
      shapes.set(shape(path), n + 1);
    }
    if (KNOWN_BROKEN.some((k) => k.role === role && k.path.test(path))) continue;
    pages++;
    if (process.env.CRAWL_LOG) console.log(role, path);
    const res = await t.app.request(path, { headers: cookie ? { cookie } : {} });
    const type = res.headers.get('content-type') ?? '';
    const pathname = path.split('?')[0]!;
    const download = DOWNLOADS.find(([p]) => p.test(pathname));
    if (res.status >= 500) problems.push({ role, page: path, from, problem: `answers ${res.status}` });
    else if (res.status >= 400) problems.push({ role, page: path, from, problem: `link leads to ${res.status}` });
    const follow = (next: string | null, asVariant: boolean, option = asVariant && !variant) => {
      if (!next || next.startsWith('/signout') || seen.has(next)) return;
      (asVariant ? later : queue).push({ path: next, from: path, variant: asVariant, option });
    };
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      follow(location ? sameSite(location, path) : null, variant);
      continue;
    }
    if (download) {
      await res.arrayBuffer();
      if (res.status === 200 && !download[1].test(type)) problems.push({ role, page: path, from, problem: `download has content-type '${type}'` });
      continue;
    }
    if (!type.startsWith('text/html')) {
      await res.arrayBuffer();
      if (res.status < 400) problems.push({ role, page: path, from, problem: `linked page is '${type}', not HTML or a known download` });
      continue;
    }
    const buf = await res.arrayBuffer();
    const html = new TextDecoder().decode(buf);
    checkHtml(role, path, html, buf.byteLength, problems);
    if (res.status >= 400) continue;
    // Staff pages: a way to sign out, and a way home (the office home serves leaders too: it links their ranking).
    if (cookie && /^\/(unit|admin|leader)(\/|$)/.test(pathname) && !pathname.endsWith('/circular')) {
      // Sign-out is a POST: a button for the layout's form.
      if (!/form="signout-form"/.test(html) || !/<form id="signout-form" method="post" action="\/signout"/.test(html)) problems.push({ role, page: path, from, problem: 'no button to sign out' });
      const homes = role.startsWith('unit') ? ['/unit'] : ['/admin', start[0]];
      if (!homes.includes(pathname) && !homes.some((h) => html.includes(`href="${h}"`))) problems.push({ role, page: path, from, problem: `no link back to ${homes.join(' or ')}` });
    }
    const { links, variants } = targets(html, path);
    // Every poster carries the same three QR images for another unit (the office prints hundreds at once): a few per form prove the route.
    for (const next of links) follow(next, variant || next.startsWith('/qr/'), next.startsWith('/qr/') ? false : undefined);
    for (const next of variants) follow(next, true);
  }
  return { problems, pages };
}

describe('crawling the app as each of its users', () => {
  // Some 500 pages: a bound for a busy machine (it takes about 13 s on a quiet one), not a speed expectation.
  it('every page a role can reach from its home works and is well-formed', { timeout: 90_000 }, async () => {
    const t = await makeTestApp({ deps: { photos: memoryPhotoStore() } });
    const admin = await signIn(t, 'office');
    const unit = await signIn(t, 'chencang');
    const dept = await signIn(t, 'police');
    const leader = await signIn(t, 'office', { leader: true });

    // A resident's answer, a tip from a village's QR code, a deputy's suggestion.
    const feedback = await postJson(t, '/api/v1/forms/mass-feedback/submissions?u=chencang-v1', VALID['mass-feedback']);
    expect(feedback.status).toBe(201);
    const tip = await postJson(t, '/api/v1/forms/hazard-tip/submissions?u=chencang-v1', { ...VALID['hazard-tip'], noticedOn: '2014-11-03' });
    expect(tip.status).toBe(201);
    const suggestion = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], department: 'police' });
    expect(suggestion.status).toBe(201);
    const [fb, tp, sg] = (await Promise.all([feedback.json(), tip.json(), suggestion.json()])) as { id: number; receipt: string }[];

    // The office hands the tip to the village's town; the unit records a household visit.
    const hazard = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tp!.id) });
    expect(hazard).toBeTruthy();
    const assigned = await admin.api(`/api/v1/admin/hazards/${hazard!.id}/transitions`, { body: { action: 'assign', leadUnit: 'chencang', deadline: '2014-11-10' } });
    expect(assigned.status).toBe(200);
    const cadres = (await (await unit.api('/api/v1/unit/cadres')).json()) as { id: number }[];
    const visit = await unit.api('/api/v1/unit/forms/household-visit/submissions', {
      body: { cadre: cadres[0]!.id, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '张三', address: '3组15号', phone: '13812341234', almanac: true, aware: true, participated: false, satisfaction: 'satisfied', opinions: '路灯坏了', followUp: true },
    });
    expect(visit.status).toBe(201);

    // A second tip the town has fixed, with a photo, waiting for the office's check; the suggestion is being handled.
    const tip2 = await postJson(t, '/api/v1/forms/hazard-tip/submissions?u=chencang-v2', { category: 'fire', place: '陈仓示范村二村委会', description: '灭火器过期', noticedOn: '2014-11-04' });
    expect(tip2.status).toBe(201);
    const hazard2 = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, ((await tip2.json()) as { id: number }).id) });
    expect((await admin.api(`/api/v1/admin/hazards/${hazard2!.id}/transitions`, { body: { action: 'assign', leadUnit: 'chencang', days: 3 } })).status).toBe(200);
    expect((await unit.post(`/unit/hazards/${hazard2!.id}/transitions`, { action: 'accept' })).status).toBe(303);
    const fixed = new FormData();
    fixed.append('action', 'report_fixed');
    fixed.append('note', '已更换灭火器');
    fixed.append('photoFile', new File([new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9])], 'x.jpg', { type: 'image/jpeg' }));
    expect((await unit.page(`/unit/hazards/${hazard2!.id}/transitions`, { method: 'POST', body: fixed })).status).toBe(303);
    expect((await admin.api(`/api/v1/admin/suggestions/${sg!.id}/replies`, { body: { status: 'in_progress', note: '已交金台公安分局办理。' } })).status).toBe(201);
    await computeSnapshot(t.deps, '2014-11-04');

    // A resident lands on the receipt after submitting, so the receipts are where an anonymous crawl starts too.
    const runs = await Promise.all([
      // …and a village's poster (README: /posters/UNIT), whose QR codes lead to the forms.
      crawl(t, 'anonymous', ['/', `/r/${fb!.receipt}`, `/r/${tp!.receipt}`, `/r/${sg!.receipt}`, '/posters/chencang-v1']),
      crawl(t, 'unit chencang', ['/unit'], unit.cookie),
      crawl(t, 'unit police', ['/unit'], dept.cookie),
      // Staff also open the one unit that has records, which the per-template limit on other units' pages might skip.
      crawl(t, 'admin office', ['/admin', '/unit?unit=chencang'], admin.cookie),
      crawl(t, 'leader', ['/leader', '/unit?unit=chencang'], leader.cookie),
    ]);
    const problems = runs.flatMap((r) => r.problems);
    if (problems.length) console.log(problems.map((p) => `${p.role}\t${p.page}\t${p.problem}${p.from ? `\t(from ${p.from})` : ''}`).join('\n'));
    console.log('pages crawled:', runs.map((r) => r.pages).join(', '));
    // Each role reaches more than its home: the crawl itself is working.
    for (const r of runs) expect(r.pages).toBeGreaterThan(3);
    // …and ends before the cap: nothing it could reach was cut off.
    for (const r of runs) expect(r.pages).toBeLessThan(MAX_PAGES);
    expect(problems).toEqual([]);
  });

  it('hand-edited addresses (bad ids, days, units, filters) never answer 5xx or show raw values', async () => {
    const t = await makeTestApp();
    const sessions = { admin: await signIn(t, 'office'), unit: await signIn(t, 'chencang'), leader: await signIn(t, 'office', { leader: true }) };
    const paths = [
      '/leader?date=garbage', '/leader?date=2014-02-30', '/leader?group=xyz', '/leader/circular?date=bad',
      '/unit?unit=nonexistent', '/unit?unit=chencang-v1', '/admin/hazards/999', '/admin/hazards/abc', '/admin/hazards?status=bogus',
      '/r/' + 'a'.repeat(500), '/f/mass-feedback?u=%00', '/unit/forms/household-visit?day=bad', '/unit/forms/household-visit?edit=abc',
      // ?cadre=abc reached the database as NaN and answered 500.
      '/unit/forms/household-visit?cadre=abc', '/unit/forms/household-visit?cadre=99999', '/unit/forms/nosuch', '/unit/cadres/abc/edit',
      '/admin/suggestions/abc', '/unit/hazards/abc', '/posters/xyz', '/unit/export.csv?form=nosuch', '/hazards/abc/photos/x',
    ];
    const problems: string[] = [];
    for (const [role, s] of Object.entries(sessions)) {
      for (const path of paths) {
        const res = await s.page(path);
        const body = await res.text();
        if (res.status >= 500) problems.push(`${role} ${path} answers ${res.status}`);
        else if (/^text\/html/.test(res.headers.get('content-type') ?? '')) {
          const raw = RAW_VALUE.exec(visibleText(body));
          if (raw) problems.push(`${role} ${path} shows '${raw[0]}'`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every POST form sent back empty answers a well-formed page or a redirect, never a 5xx', { timeout: 60_000 }, async () => {
    const t = await makeTestApp({ deps: { photos: memoryPhotoStore() } });
    const admin = await signIn(t, 'office');
    const unit = await signIn(t, 'chencang');
    const tip = await postJson(t, '/api/v1/forms/hazard-tip/submissions?u=chencang-v1', { ...VALID['hazard-tip'], noticedOn: '2014-11-03' });
    const { id, receipt } = (await tip.json()) as { id: number; receipt: string };
    const hazard = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) });
    await admin.api(`/api/v1/admin/hazards/${hazard!.id}/transitions`, { body: { action: 'assign', leadUnit: 'chencang', deadline: '2014-11-10' } });
    const suggestion = (await (await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], department: 'police' })).json()) as { id: number };
    const forms = ['household-visit', 'hazard-ledger', 'patrol-team', 'publicity', 'dispute-mediation', 'task-report'];
    const plan: [string, string | undefined, string[]][] = [
      ['anonymous', undefined, ['/f/mass-feedback', '/f/hazard-tip', '/f/deputy-suggestion', '/signin', `/r/${receipt}`]],
      ['unit chencang', unit.cookie, [...forms.map((f) => `/unit/forms/${f}`), '/unit/cadres', `/unit/hazards/${hazard!.id}`]],
      // Access codes last: revoking them all ends the office's own session.
      ['admin office', admin.cookie, [`/admin/hazards/${hazard!.id}`, `/admin/suggestions/${suggestion.id}`, '/leader', '/admin/access']],
    ];
    const problems: Problem[] = [];
    const posted: string[] = [];
    for (const [role, cookie, pages] of plan) {
      for (const page of pages) {
        const html = await (await t.app.request(page, { headers: cookie ? { cookie } : {} })).text();
        for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
          const open = `<form ${m[1]}>`;
          if ((attr(open, 'method') ?? 'get').toLowerCase() !== 'post') continue;
          const action = sameSite(attr(open, 'action') ?? page, page);
          if (!action || action.startsWith('/signout')) continue;
          // Only what the page itself fills in (tokens, ids, the action buttons' values): a person tapping send at once.
          const body = new URLSearchParams();
          for (const input of m[2]!.matchAll(/<input\b[^>]*>/gi)) {
            const name = attr(input[0], 'name');
            if (name && (attr(input[0], 'type') ?? '').toLowerCase() === 'hidden') body.append(name, attr(input[0], 'value') ?? '');
          }
          const button = /<button\b[^>]*\sname="[^"]*"[^>]*>/i.exec(m[2]!)?.[0];
          if (button) body.append(attr(button, 'name')!, attr(button, 'value') ?? '');
          const res = await t.app.request(action, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN, ...(cookie ? { cookie } : {}) } });
          const where = `POST ${action}`;
          posted.push(`${res.status} ${role} ${where}`);
          if (res.status >= 500) problems.push({ role, page: where, from: page, problem: `answers ${res.status}` });
          const type = res.headers.get('content-type') ?? '';
          if (type.startsWith('text/html')) {
            const buf = await res.arrayBuffer();
            checkHtml(role, where, new TextDecoder().decode(buf), buf.byteLength, problems);
          } else if (!(res.status >= 300 && res.status < 400)) {
            problems.push({ role, page: where, from: page, problem: `answers ${res.status} '${type}' to a browser form` });
          }
        }
      }
    }
    if (process.env.CRAWL_LOG) console.log(posted.join('\n'));
    // Each public form, each unit form and the office's actions were sent: the test reached them.
    expect(posted.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
