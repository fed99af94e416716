// Round trips to the database per request, counted at the HTTP boundary with the app on libSQL over HTTP
// (the project's local server), as on Workers talking to Turso: each one costs tens of milliseconds there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres, hazards } from '../../../src/db/schema.ts';
import { VALID } from '../../helpers/public-forms.ts';
import { SAME_ORIGIN, signIn, type Session } from '../../helpers/unit-portal.ts';
import { makeHttpTestApp, type HttpTestContext } from '../../helpers/round-trips.ts';

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('round trips per request over libSQL HTTP', () => {
  let t: HttpTestContext;
  let office: Session;
  let police: Session;
  let town: Session;
  const seen: Record<string, number> = {};
  const measure = async (name: string, fn: () => Response | Promise<Response>, status = 200) => {
    let res!: Response;
    const n = await t.trips(async () => {
      res = await fn();
    });
    if (res.status !== status) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    seen[name] = n;
    if (process.env.TRIPS_LOG) console.log(name, n, JSON.stringify(t.tripLog));
    return { n, res };
  };

  beforeAll(async () => {
    t = await makeHttpTestApp();
    office = await signIn(t, 'office');
    police = await signIn(t, 'police');
    town = await signIn(t, 'chencang');
    // Warm the isolate's caches as a running Worker has them.
    for (const form of ['mass-feedback', 'hazard-tip', 'deputy-suggestion']) await t.app.request(`/f/${form}`);
    await t.app.request('/api/v1/forms/mass-feedback/submissions', json(VALID['mass-feedback']));
  }, 30_000);
  afterAll(async () => {
    if (process.env.TRIPS_LOG) console.log(seen);
    await t?.close();
  });

  it('an anonymous submission is one round trip', async () => {
    const { n } = await measure('feedback', () => t.app.request('/api/v1/forms/mass-feedback/submissions', json(VALID['mass-feedback'])), 201);
    const village = await measure('feedback ?u=village', () => t.app.request('/api/v1/forms/mass-feedback/submissions?u=chencang', json(VALID['mass-feedback'])), 201);
    const tip = await measure('hazard tip', () => t.app.request('/api/v1/forms/hazard-tip/submissions', json(VALID['hazard-tip'])), 201);
    const suggestion = await measure('suggestion', () => t.app.request('/api/v1/forms/deputy-suggestion/submissions', json(VALID['deputy-suggestion'])), 201);
    expect({ feedback: n, village: village.n, tip: tip.n, suggestion: suggestion.n }).toEqual({ feedback: 1, village: 1, tip: 1, suggestion: 1 });
  });

  it('a hazard action is at most two round trips', async () => {
    const tip = (await (await t.app.request('/api/v1/forms/hazard-tip/submissions', json(VALID['hazard-tip']))).json()) as { id: number };
    const h = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tip.id) });
    const path = (who: string) => `/api/v1/${who}/hazards/${h!.id}/transitions`;
    const bearer = (s: Session) => ({ authorization: `Bearer ${s.code}` });
    const assign = await measure('assign', () => t.app.request(path('admin'), json({ action: 'assign', leadUnit: 'police', coUnits: ['education'], days: 5 }, bearer(office))));
    const accept = await measure('accept', () => t.app.request(path('unit'), json({ action: 'accept' }, bearer(police))));
    expect({ assign: assign.n, accept: accept.n }).toEqual({ assign: 2, accept: 2 });
  });

  it('the main pages are at most two round trips', async () => {
    const pages: [string, Session | null][] = [
      ['/f/mass-feedback', null],
      ['/unit', town],
      ['/admin', office],
      ['/api/v1/admin/hazards', office],
      ['/admin/hazards', office],
      ['/unit/hazards', police],
    ];
    const counts: Record<string, number> = {};
    for (const [path, who] of pages) {
      const { n } = await measure(`GET ${path}`, () => (who ? who.page(path, path.startsWith('/api') ? { headers: { authorization: `Bearer ${who.code}` } } : {}) : t.app.request(path)));
      counts[path] = n;
    }
    expect(Object.entries(counts).filter(([, n]) => n > 2)).toEqual([]);
  });

  it("one hazard's page and detail API are at most two round trips, for the office and for each of its units", async () => {
    const tip = (await (await t.app.request('/api/v1/forms/hazard-tip/submissions', json(VALID['hazard-tip']))).json()) as { id: number };
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tip.id) }))!;
    const bearer = (s: Session) => ({ authorization: `Bearer ${s.code}` });
    const move = (who: string, s: Session, body: unknown) => t.app.request(`/api/v1/${who}/hazards/${h.id}/transitions`, json(body, bearer(s)));
    expect((await move('admin', office, { action: 'assign', leadUnit: 'police', coUnits: ['education'], days: 5 })).status).toBe(200);
    const education = await signIn(t, 'education');
    const pages: [string, Session, boolean][] = [
      [`/admin/hazards/${h.id}`, office, false],
      [`/admin/hazards/${h.number}`, office, false],
      [`/api/v1/admin/hazards/${h.id}`, office, true],
      [`/unit/hazards/${h.id}`, police, false],
      [`/api/v1/unit/hazards/${h.id}`, police, true],
      [`/unit/hazards/${h.id}`, education, false],
    ];
    const counts: Record<string, number> = {};
    for (const [path, who, api] of pages) {
      const { n, res } = await measure(`GET ${path} as ${who.codeId}`, () => who.page(path, api ? { headers: bearer(who) } : {}));
      // The page shows the hazard, not an error page that happens to be cheap.
      if (!api) expect(await res.text()).toContain(h.number);
      counts[`${path} (${who === education ? 'co-unit' : who === police ? 'lead' : 'office'})`] = n;
    }
    expect(Object.entries(counts).filter(([, n]) => n > 2)).toEqual([]);
    // A unit that neither leads nor helps still gets 404, in the same two trips.
    const { n } = await measure('GET hazard as stranger', () => town.page(`/unit/hazards/${h.id}`), 404);
    expect(n).toBeLessThanOrEqual(2);
  });

  it("a unit's entry pages are at most two round trips, for the unit and for the office acting for it", async () => {
    const cadre = await t.db.query.cadres.findFirst({ where: eq(cadres.unitCode, 'chencang') });
    const pages: [string, Session][] = [
      ['/unit/forms/household-visit', town],
      [`/unit/forms/household-visit?cadre=${cadre!.id}`, town],
      ['/unit/forms/hazard-ledger', town],
      ['/unit/forms/patrol-team?unit=chencang', office],
      [`/unit/cadres/${cadre!.id}/edit`, town],
      [`/unit/cadres/${cadre!.id}/edit`, office],
    ];
    const counts: Record<string, number> = {};
    for (const [path, who] of pages) {
      const { n } = await measure(`GET ${path}`, () => who.page(path));
      counts[`${path} (${who === office ? 'office' : 'town'})`] = n;
    }
    expect(Object.entries(counts).filter(([, n]) => n > 2)).toEqual([]);
  });

  it("a unit's entries, roster changes and the office's new access code are at most two round trips after their page", async () => {
    const cadre = (await t.db.query.cadres.findFirst({ where: and(eq(cadres.unitCode, 'chencang'), eq(cadres.active, true)) }))!;
    let i = 0;
    const visit = () => ({
      cadre: String(cadre.id), visitDate: '2014-11-04', place: 'chencang-v1', householdHead: `户主${++i}`, address: `陈仓示范村一3组${i}号`,
      phone: '13812341234', almanac: 'yes', aware: 'yes', participated: 'no', satisfaction: 'satisfied',
    });
    const counts: Record<string, number> = {};
    // As a liaison works: the entry page, then its post, again and again.
    for (let round = 0; round < 2; round++) {
      expect((await town.page('/unit/forms/household-visit')).status).toBe(200);
      counts[`visit ${round}`] = (await measure('visit (page post)', () => town.post('/unit/forms/household-visit', visit()), 303)).n;
    }
    const json = { ...visit(), cadre: cadre.id, almanac: true, aware: true, participated: false };
    counts['visit (API)'] = (await measure('visit (API)', () => town.api('/api/v1/unit/forms/household-visit/submissions', { body: json }), 201)).n;
    for (let round = 0; round < 2; round++) {
      expect((await town.page('/unit/cadres')).status).toBe(200);
      counts[`roster add ${round}`] = (await measure('roster add', () => town.post('/unit/cadres', { name: `新干部${round}`, post: '干部', role: 'cadre', assignedCode: 'chencang-v1' }), 303)).n;
    }
    expect((await office.page('/admin/access')).status).toBe(200);
    counts['access code (API)'] = (await measure('access code', () => office.api('/api/v1/admin/access-codes', { body: { unit: 'panlong', label: '联络员' } }), 201)).n;
    expect(Object.entries(counts).filter(([, n]) => n > 2)).toEqual([]);
  });

  it('a unit sign-in is at most two round trips', async () => {
    const { issueAccessCode } = await import('../../../src/auth/codes.ts');
    const issued = await issueAccessCode(t.db, { unitCode: 'panlong', label: 'test' });
    const { n } = await measure(
      'signin',
      () =>
        t.app.request('/signin', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
          body: new URLSearchParams({ code: issued.code, next: '/unit' }).toString(),
        }),
      303,
    );
    expect(n).toBeLessThanOrEqual(2);
  });
});
