// The unit form page's POST as the offline queue uses it: its Idempotency-Key (kept per unit) makes a resent entry the
// first answer, and asking for JSON gives the record id (201, then 200) or the 422 with the server's messages.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { submissions } from '../../../src/db/schema.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { SAME_ORIGIN, signIn, type Session } from '../../helpers/unit-portal.ts';

async function visitFields(s: Session) {
  const cadres = (await (await s.api('/api/v1/unit/cadres')).json()) as { id: number }[];
  return {
    cadre: String(cadres[0]!.id), visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '周五', address: '2组8号',
    almanac: 'yes', aware: 'yes', participated: 'no', satisfaction: 'satisfied',
  };
}

function queued(t: TestContext, s: Session, fields: Record<string, string>, key: string) {
  return t.app.request('/unit/forms/household-visit', {
    method: 'POST',
    headers: { ...SAME_ORIGIN, cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key, accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
}

const visits = (t: TestContext) => t.db.select().from(submissions).where(eq(submissions.formId, 'household-visit'));

describe('POST /unit/forms/:formId with an Idempotency-Key', () => {
  it('stores a resent entry once, per unit, and answers in JSON when asked', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const fields = await visitFields(s);
    const first = await queued(t, s, fields, 'entry-1');
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: number };
    const again = await queued(t, s, fields, 'entry-1');
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(await again.json()).toEqual({ id, created: false });
    const rows = await visits(t);
    expect(rows.map((r) => [r.id, r.idempotencyKey])).toEqual([[id, 'unit:chencang:entry-1']]);

    // The same key with other answers is refused, not stored.
    const changed = await queued(t, s, { ...fields, householdHead: '吴六' }, 'entry-1');
    expect(changed.status).toBe(422);
    expect(((await changed.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('Idempotency-Key');

    // A wrong entry: the 422 carries the server's messages, field by field, and nothing is stored.
    const wrong = await queued(t, s, { ...fields, address: '' }, 'entry-2');
    expect(wrong.status).toBe(422);
    const body = (await wrong.json()) as { error: string; errors: { field: string; message: string }[] };
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.field)).toEqual(['address']);
    expect(await visits(t)).toHaveLength(1);

    // Without JSON, the page answers as before: a redirect back to the form.
    const browser = await s.post('/unit/forms/household-visit', { ...fields, householdHead: '王八' });
    expect(browser.status).toBe(303);
    expect(await visits(t)).toHaveLength(2);
  });
});

describe('the installable portal', () => {
  it('serves the manifest, the worker, the queue script and the 没有网络 page; the CSP names the worker and manifest', async () => {
    const t = await makeTestApp();
    const manifest = await t.app.request('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    expect(await manifest.json()).toMatchObject({ start_url: '/unit', scope: '/', display: 'standalone', icons: [{ src: '/icon.svg' }] });
    const sw = await t.app.request('/sw.js');
    expect([sw.status, sw.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const source = await sw.text();
    for (const form of ['household-visit', 'hazard-ledger', 'patrol-team', 'publicity', 'dispute-mediation', 'task-report']) expect(source).toContain(form);
    expect(await (await t.app.request('/assets/offline.js')).text()).toContain('Idempotency-Key');
    const offline = await t.app.request('/offline');
    expect(await offline.text()).toContain('<h1>没有网络</h1>');
    const csp = offline.headers.get('content-security-policy')!;
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).toContain("script-src 'self' https://challenges.cloudflare.com");

    // A unit's pages link the manifest and load the queue script; the office's and the public ones do not.
    const unit = await signIn(t, 'chencang');
    const portal = await (await unit.page('/unit/forms/household-visit')).text();
    expect(portal).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    expect(portal).toContain('<script src="/assets/offline.js" defer');
    expect(await (await t.app.request('/f/mass-feedback')).text()).not.toContain('offline.js');
    const office = await signIn(t, 'office');
    expect(await (await office.page('/unit/forms/household-visit?unit=chencang')).text()).not.toContain('offline.js');
  });
});
