// Every page each role reaches from its home, and every GET of the JSON API, on libSQL over HTTP as on Workers,
// reads in at most two round trips:
// the session lookup with the page's first reads, then the rest together. The walk follows the links each page
// shows, visiting each shape of path (ids as N) once, and counts the requests the database receives for each page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHttpTestApp, type HttpTestContext } from '../../helpers/round-trips.ts';
import { VALID } from '../../helpers/public-forms.ts';
import { signIn, type Session } from '../../helpers/unit-portal.ts';

const MAX_PAGES = 200;
const SKIP = /\/signout|\.csv|\.xlsx|\.png|\.svg|\.pdf|\.json$|^\/qr\/|\/photos\//;
const shape = (path: string) => path.replace(/\d+/g, 'N');

describe('round trips of every page a role reaches', () => {
  let t: HttpTestContext;
  beforeAll(async () => {
    t = await makeHttpTestApp();
    for (const form of ['hazard-tip', 'mass-feedback', 'deputy-suggestion'] as const) {
      const res = await t.app.request(`/api/v1/forms/${form}/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(VALID[form]) });
      expect(res.status).toBe(201);
    }
  }, 30_000);
  afterAll(async () => t?.close());

  async function walk(home: string, who: Session | null) {
    const over: string[] = [];
    const seen = new Set([shape(home)]);
    const queue = [home];
    let pages = 0;
    while (queue.length && pages < MAX_PAGES) {
      const path = queue.shift()!;
      let res!: Response;
      let html = '';
      const get = () => (who ? who.page(path) : t.app.request(path));
      // The first visit warms what a running isolate has cached; the second is the one counted.
      await (await get()).arrayBuffer();
      const n = await t.trips(async () => {
        res = await get();
        html = await res.text();
      });
      pages++;
      if (n > 2) over.push(`${path}: ${n}`);
      if (!(res.headers.get('content-type') ?? '').includes('html')) continue;
      for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"#]+)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (!href.startsWith('/') || href.startsWith('//') || SKIP.test(href) || seen.has(shape(href))) continue;
        seen.add(shape(href));
        queue.push(href);
      }
    }
    return { pages, over };
  }

  it.each([
    ['the office', 'office', '/admin'],
    ['a town', 'chencang', '/unit'],
    ['the police branch', 'police', '/unit'],
    ['a leader', 'leader', '/leader'],
    ['a resident', null, '/'],
  ])('%s: every page at most two', async (_who, unit, home) => {
    const who = unit === null ? null : unit === 'leader' ? await signIn(t, 'office', { leader: true }) : await signIn(t, unit);
    const { pages, over } = await walk(home, who);
    expect(pages).toBeGreaterThan(unit === null ? 2 : 10);
    expect(over).toEqual([]);
    // The office's walk is some 130 pages, each fetched twice: a generous bound for a busy machine.
  }, 90_000);

  it('every GET of the JSON API (without an id) is at most two round trips for each role that may read it', async () => {
    const paths = [...new Set(t.app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/') && !/[:*]/.test(r.path)).map((r) => r.path))];
    expect(paths.length).toBeGreaterThan(20);
    const over: string[] = [];
    let answered = 0;
    for (const [unit, leader] of [['office', false], ['chencang', false], ['police', false], ['office', true]] as const) {
      const who = await signIn(t, unit, { leader });
      for (const path of paths) {
        const get = () => who.api(path);
        await (await get()).arrayBuffer();
        let status = 0;
        const n = await t.trips(async () => {
          const res = await get();
          status = res.status;
          await res.arrayBuffer();
        });
        if (status === 200) answered++;
        if (n > 2) over.push(`${leader ? 'leader' : unit} ${path}: ${n} (${status})`);
      }
    }
    expect(answered).toBeGreaterThan(40);
    expect(over).toEqual([]);
  }, 90_000);
});
