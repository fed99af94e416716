// Access codes (src/auth/codes.ts) below the sign-in page: issuing, what a presented code resolves to, and use
// recorded at most once a minute (found by mutation testing, issue 22).
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessCodes, units } from '../../../src/db/schema.ts';
import { sha256Hex } from '../../../src/lib/crypto.ts';
import {
  accessCodeHash,
  codeUseIsStale,
  issueAccessCode,
  normaliseAccessCode,
  revokeAccessCode,
  touchAccessCode,
  verifyAccessCode,
  type Principal,
} from '../../../src/auth/codes.ts';
import { makeTestApp } from '../../helpers/app.ts';

const T0 = Date.parse('2014-11-04T02:00:00Z');

describe('issuing a code', () => {
  it('refuses a unit that does not exist, naming it (the CLI shows the message)', async () => {
    const { db } = await makeTestApp();
    await expect(issueAccessCode(db, { unitCode: 'nowhere' })).rejects.toThrow(/^Unknown unit code: nowhere$/);
    expect(await db.select().from(accessCodes)).toEqual([]);
  });

  it('refuses a leader code for a town, saying which unit leader codes belong to', async () => {
    const { db } = await makeTestApp();
    await expect(issueAccessCode(db, { unitCode: 'chencang', leader: true })).rejects.toThrow(
      /^Leader codes are issued under the district office \(--unit office\), not chencang$/,
    );
  });

  it('stores the role by unit, the label or none, the time, and only the hash of the code', async () => {
    const { db } = await makeTestApp();
    const now = new Date(T0);
    const town = await issueAccessCode(db, { unitCode: 'chencang', now });
    const admin = await issueAccessCode(db, { unitCode: 'office', label: '综治办', now });
    const leader = await issueAccessCode(db, { unitCode: 'office', leader: true, now });
    expect([town.role, admin.role, leader.role]).toEqual(['unit', 'admin', 'leader']);
    const rows = await db.select().from(accessCodes);
    expect(rows.map((r) => [r.id, r.role, r.unitCode, r.label, r.createdAt, r.lastUsedAt, r.revokedAt])).toEqual([
      [town.id, 'unit', 'chencang', '', T0, null, null],
      [admin.id, 'admin', 'office', '综治办', T0, null, null],
      [leader.id, 'leader', 'office', '', T0, null, null],
    ]);
    expect(rows[0]!.codeHash).toBe(await sha256Hex(normaliseAccessCode(town.code)));
  });
});

describe('a presented code', () => {
  it('is read without regard to case, spaces and dashes', async () => {
    expect(normaliseAccessCode(' abcd-efgh -- ijkl\tmnop ')).toBe('ABCDEFGHIJKLMNOP');
    expect(await accessCodeHash('abcd-efgh-1234-5678')).toBe(await sha256Hex('ABCDEFGH12345678'));
  });

  it('that cannot be a code gives no hash, so nothing is looked up', async () => {
    expect(await accessCodeHash('ABCD123')).toBeNull();
    expect(await accessCodeHash('ABCD1234')).toBe(await sha256Hex('ABCD1234'));
    expect(await accessCodeHash('A'.repeat(64))).toBe(await sha256Hex('A'.repeat(64)));
    expect(await accessCodeHash('A'.repeat(65))).toBeNull();
    // Letters and digits only, from the first character to the last.
    expect(await accessCodeHash('!ABCD1234')).toBeNull();
    expect(await accessCodeHash('ABCD1234!')).toBeNull();
    expect(await accessCodeHash('ABCD1234\'OR1=1')).toBeNull();
  });

  it("resolves to its code, role and unit, the unit's details read with it", async () => {
    const { db } = await makeTestApp();
    const issued = await issueAccessCode(db, { unitCode: 'chencang' });
    expect(await verifyAccessCode(db, issued.code.toLowerCase())).toEqual({
      codeId: issued.id,
      role: 'unit',
      unitCode: 'chencang',
      lastUsedAt: null,
      unit: { code: 'chencang', name: '陈仓镇', kind: 'town', parentCode: 'office' },
    });
  });

  it('resolves to nobody when unknown, malformed, revoked, or its unit is deactivated', async () => {
    const { db } = await makeTestApp();
    const a = await issueAccessCode(db, { unitCode: 'chencang' });
    const b = await issueAccessCode(db, { unitCode: 'panlong' });
    expect(await verifyAccessCode(db, 'AAAA-AAAA-AAAA-AAAA')).toBeNull();
    expect(await verifyAccessCode(db, '')).toBeNull();
    expect(await revokeAccessCode(db, a.id, new Date(T0))).toBe(true);
    expect(await revokeAccessCode(db, a.id, new Date(T0))).toBe(false);
    expect(await verifyAccessCode(db, a.code)).toBeNull();
    await db.update(units).set({ active: false }).where(eq(units.code, 'panlong'));
    expect(await verifyAccessCode(db, b.code)).toBeNull();
  });
});

describe("a code's use is recorded at most once a minute", () => {
  const form = (code: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code }).toString(),
  });

  it('by sign-ins: a second one within the minute writes nothing, one after it does', async () => {
    const t = await makeTestApp({ now: new Date(T0) });
    const issued = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const lastUsed = async () => (await t.db.select().from(accessCodes).where(eq(accessCodes.id, issued.id)))[0]!.lastUsedAt;
    const signInAt = async (at: number) => {
      t.setNow(new Date(at));
      expect((await t.app.request('/signin', form(issued.code))).status).toBe(303);
      return lastUsed();
    };
    expect(await signInAt(T0)).toBe(T0);
    expect(await signInAt(T0 + 60_000)).toBe(T0);
    expect(await signInAt(T0 + 60_001)).toBe(T0 + 60_001);
  });

  it('by API calls with the code as a Bearer token', async () => {
    const t = await makeTestApp({ now: new Date(T0) });
    const issued = await issueAccessCode(t.db, { unitCode: 'office' });
    const callAt = async (at: number) => {
      t.setNow(new Date(at));
      expect((await t.app.request('/api/v1/admin/access-codes', { headers: { authorization: `Bearer ${issued.code}` } })).status).toBe(200);
      return (await t.db.select().from(accessCodes).where(eq(accessCodes.id, issued.id)))[0]!.lastUsedAt;
    };
    expect(await callAt(T0)).toBe(T0);
    expect(await callAt(T0 + 30_000)).toBe(T0);
    expect(await callAt(T0 + 60_001)).toBe(T0 + 60_001);
  });

  it('a use read as fresh is not written again, and costs no statement at all', async () => {
    const at = T0 + 60_000;
    const principal = (lastUsedAt: number | null | undefined): Principal => ({ codeId: 1, role: 'unit', unitCode: 'chencang', lastUsedAt });
    expect(codeUseIsStale(principal(undefined), at)).toBe(true);
    expect(codeUseIsStale(principal(null), at)).toBe(true);
    expect(codeUseIsStale(principal(T0 - 1), at)).toBe(true);
    expect(codeUseIsStale(principal(T0), at)).toBe(false);
    expect(codeUseIsStale(principal(at), at)).toBe(false);

    const { db } = await makeTestApp();
    const issued = await issueAccessCode(db, { unitCode: 'chencang' });
    const update = vi.spyOn(db, 'update');
    await touchAccessCode(db, { ...principal(T0), codeId: issued.id }, new Date(at));
    expect(update).not.toHaveBeenCalled();
    await touchAccessCode(db, { ...principal(null), codeId: issued.id }, new Date(at));
    expect(update).toHaveBeenCalledTimes(1);
    expect((await db.select().from(accessCodes).where(eq(accessCodes.id, issued.id)))[0]!.lastUsedAt).toBe(at);
  });
});
