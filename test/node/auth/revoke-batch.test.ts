// Revoking a code ends its sessions in the same batch: a database failing at any statement of the revoke leaves
// the code and its sessions exactly as they were (the unit is still signed in), never a revoked code with live
// sessions; the retry then does both.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessCodes, sessions } from '../../../src/db/schema.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { diskError, faultyDb } from '../../helpers/faulty-db.ts';
import { signIn } from '../../helpers/unit-portal.ts';

describe('revoking an access code', () => {
  it('is all or nothing: cut at any statement, the code stays valid with its session; then both end together', async () => {
    const { db, faults } = await faultyDb();
    // The app's database is the faulty one (t.db is the unused fresh one makeTestApp opened).
    const t = { ...(await makeTestApp({ seed: false, deps: { db } })), db };
    const office = await signIn(t, 'office');
    const town = await signIn(t, 'panlong');
    const signedIn = async () => (await town.page('/unit')).status;
    expect(await signedIn()).toBe(200);

    let cuts = 0;
    for (let n = 1; n < 20; n++) {
      faults.set({ at: n, error: diskError });
      const res = await office.api(`/api/v1/admin/access-codes/${town.codeId}/revoke`, { method: 'POST' });
      const fired = faults.fired;
      faults.clear();
      if (!fired) {
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ id: town.codeId, revoked: true });
        break;
      }
      cuts++;
      expect(res.status, `cut at statement ${n}`).toBe(503);
      const code = await db.query.accessCodes.findFirst({ where: eq(accessCodes.id, town.codeId) });
      expect(code!.revokedAt, `cut at statement ${n}`).toBeNull();
      expect(await db.$count(sessions, eq(sessions.codeId, town.codeId))).toBe(1);
      expect(await signedIn()).toBe(200);
    }
    // The office's sign-in check and the revoke's one batch (code, guard, sessions): each was cut once.
    expect(cuts).toBeGreaterThanOrEqual(2);
    const code = await db.query.accessCodes.findFirst({ where: eq(accessCodes.id, town.codeId) });
    expect(code!.revokedAt).toBe(t.deps.now().getTime());
    expect(await db.$count(sessions, eq(sessions.codeId, town.codeId))).toBe(0);
    expect(await signedIn()).not.toBe(200);
    // Revoked already: 404, and nothing else changes.
    expect((await office.api(`/api/v1/admin/access-codes/${town.codeId}/revoke`, { method: 'POST' })).status).toBe(404);
    expect((await office.api('/api/v1/admin/access-codes/99999/revoke', { method: 'POST' })).status).toBe(404);
  });
});
