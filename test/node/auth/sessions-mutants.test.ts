// Server-side sessions (src/auth/sessions.ts) called directly: the stored row and its two ends (two weeks, twelve
// idle hours) at the exact millisecond, what a live session answers, when last-seen is written, the audit trail,
// the office's list and revocation. Written against the survivors of a Stryker run (issue 22).
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { createSession, deleteSession, listSessions, revokeSession, SESSION_IDLE_MS, SESSION_MAX_AGE_MS, sessionOwnerByHash } from '../../../src/auth/sessions.ts';
import { accessCodes, auditEvents, sessions, units } from '../../../src/db/schema.ts';
import type { Db } from '../../../src/db/index.ts';
import { makeTestApp } from '../../helpers/app.ts';

const T0 = Date.parse('2014-11-04T02:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');
const HOUR = 60 * 60 * 1000;

let db: Db;
let town: { id: number };
let police: { id: number };
beforeEach(async () => {
  db = (await makeTestApp()).db;
  town = await issueAccessCode(db, { unitCode: 'chencang', label: '陈仓镇值班' });
  police = await issueAccessCode(db, { unitCode: 'police', label: '公安' });
});

/** A session row written by hand, for the ends and the ordering. */
async function row(codeId: number, idHash: string, v: { createdAt?: number; lastSeenAt?: number; expiresAt?: number }) {
  await db.insert(sessions).values({ idHash, codeId, createdAt: v.createdAt ?? T0, lastSeenAt: v.lastSeenAt ?? T0, expiresAt: v.expiresAt ?? T0 + SESSION_MAX_AGE_MS });
}

describe('signing in', () => {
  it('two weeks at most, twelve idle hours', () => {
    expect(SESSION_MAX_AGE_MS).toBe(14 * 24 * HOUR);
    expect(SESSION_IDLE_MS).toBe(12 * HOUR);
  });

  it('stores only the hash of the id, with its times; records the sign-in and the code’s use', async () => {
    const id = await createSession(db, town.id, at(0));
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await db.select().from(sessions)).toEqual([{ idHash: hashOf(id), codeId: town.id, createdAt: T0, lastSeenAt: T0, expiresAt: T0 + SESSION_MAX_AGE_MS }]);
    expect(await db.select({ at: auditEvents.at, actor: auditEvents.actor, kind: auditEvents.kind, unitCode: auditEvents.unitCode }).from(auditEvents).where(eq(auditEvents.kind, 'sign_in'))).toEqual([
      { at: T0, actor: `unit:chencang#${town.id}`, kind: 'sign_in', unitCode: 'chencang' },
    ]);
    expect((await db.select({ u: accessCodes.lastUsedAt }).from(accessCodes).where(eq(accessCodes.id, town.id)))[0]!.u).toBe(T0);
    expect(await createSession(db, town.id, at(0))).not.toBe(id);
  });

  it('forgets the sessions that ended by themselves, to the millisecond, and keeps the rest', async () => {
    const now = 30 * 24 * HOUR;
    await row(police.id, 'expired', { createdAt: 0, lastSeenAt: T0 + now - 1000, expiresAt: T0 + now - 1 });
    await row(police.id, 'ends-now', { createdAt: 0, lastSeenAt: T0 + now - 1000, expiresAt: T0 + now });
    await row(police.id, 'idle', { createdAt: 0, lastSeenAt: T0 + now - SESSION_IDLE_MS - 1, expiresAt: T0 + now + HOUR });
    await row(police.id, 'idle-edge', { createdAt: 0, lastSeenAt: T0 + now - SESSION_IDLE_MS, expiresAt: T0 + now + HOUR });
    const id = await createSession(db, town.id, at(now));
    expect((await db.select({ h: sessions.idHash }).from(sessions)).map((r) => r.h).sort()).toEqual(['ends-now', 'idle-edge', hashOf(id)].sort());
  });
});

describe('a live session', () => {
  it('answers the code’s principal and its unit', async () => {
    const id = await createSession(db, town.id, at(0));
    expect(await sessionOwnerByHash(db, hashOf(id), at(1000))).toEqual({
      codeId: town.id,
      role: 'unit',
      unitCode: 'chencang',
      lastUsedAt: T0,
      unit: { code: 'chencang', name: expect.any(String), kind: 'town', parentCode: 'office' },
    });
    expect(await sessionOwnerByHash(db, hashOf('another'), at(1000))).toBeNull();
  });

  it('ends at its two weeks and after twelve idle hours, to the millisecond', async () => {
    await row(town.id, 'abs', { lastSeenAt: T0 + SESSION_MAX_AGE_MS - HOUR });
    expect(await sessionOwnerByHash(db, 'abs', at(SESSION_MAX_AGE_MS - 1))).not.toBeNull();
    expect(await sessionOwnerByHash(db, 'abs', at(SESSION_MAX_AGE_MS))).toBeNull();
    await row(town.id, 'idle', {});
    expect(await sessionOwnerByHash(db, 'idle', at(SESSION_IDLE_MS - 1))).not.toBeNull();
    await db.update(sessions).set({ lastSeenAt: T0 }).where(eq(sessions.idHash, 'idle'));
    expect(await sessionOwnerByHash(db, 'idle', at(SESSION_IDLE_MS))).toBeNull();
  });

  it('one from more than a minute in the future is a clock gone wrong', async () => {
    await row(town.id, 'future', { createdAt: T0 + 60_001, lastSeenAt: T0 });
    await row(town.id, 'edge', { createdAt: T0 + 60_000, lastSeenAt: T0 });
    expect(await sessionOwnerByHash(db, 'future', at(0))).toBeNull();
    expect(await sessionOwnerByHash(db, 'edge', at(0))).not.toBeNull();
  });

  it('a revoked code or an inactive unit ends it', async () => {
    const id = await createSession(db, town.id, at(0));
    await db.update(units).set({ active: false }).where(eq(units.code, 'chencang'));
    expect(await sessionOwnerByHash(db, hashOf(id), at(0))).toBeNull();
    await db.update(units).set({ active: true }).where(eq(units.code, 'chencang'));
    expect(await sessionOwnerByHash(db, hashOf(id), at(0))).not.toBeNull();
    await db.update(accessCodes).set({ revokedAt: T0 }).where(eq(accessCodes.id, town.id));
    expect(await sessionOwnerByHash(db, hashOf(id), at(0))).toBeNull();
  });

  it('writes last seen once a minute at most, and only its own', async () => {
    await row(town.id, 'mine', {});
    await row(town.id, 'other', {});
    const seen = async (h: string) => (await db.select({ s: sessions.lastSeenAt }).from(sessions).where(eq(sessions.idHash, h)))[0]!.s;
    await sessionOwnerByHash(db, 'mine', at(59_999));
    expect(await seen('mine')).toBe(T0);
    await sessionOwnerByHash(db, 'mine', at(60_000));
    expect(await seen('mine')).toBe(T0 + 60_000);
    expect(await seen('other')).toBe(T0);
    // Kept alive by use: eleven hours apart, twice, is still one session.
    await sessionOwnerByHash(db, 'mine', at(11 * HOUR));
    expect(await sessionOwnerByHash(db, 'mine', at(22 * HOUR))).not.toBeNull();
  });
});

describe('signing out and the office’s list', () => {
  it('signing out removes the session and records who left', async () => {
    const id = await createSession(db, town.id, at(0));
    const other = await createSession(db, police.id, at(0));
    await deleteSession(db, id, at(5000));
    expect((await db.select({ h: sessions.idHash }).from(sessions)).map((r) => r.h)).toEqual([hashOf(other)]);
    expect(await db.select({ at: auditEvents.at, actor: auditEvents.actor, unitCode: auditEvents.unitCode }).from(auditEvents).where(eq(auditEvents.kind, 'sign_out'))).toEqual([
      { at: T0 + 5000, actor: `unit:chencang#${town.id}`, unitCode: 'chencang' },
    ]);
  });

  it('lists live sessions of live codes, most recently used first, with the code’s label and unit', async () => {
    const now = 13 * HOUR;
    await row(town.id, 'older', { lastSeenAt: T0 + 2 * HOUR });
    await row(police.id, 'newer', { lastSeenAt: T0 + 3 * HOUR, createdAt: T0 + HOUR });
    await row(town.id, 'idle', { lastSeenAt: T0 + now - SESSION_IDLE_MS });
    await row(town.id, 'ended', { lastSeenAt: T0 + 4 * HOUR, expiresAt: T0 + now });
    expect(await listSessions(db, at(now))).toEqual([
      { idHash: 'newer', codeId: police.id, role: 'unit', unitName: expect.any(String), label: '公安', createdAt: T0 + HOUR, lastSeenAt: T0 + 3 * HOUR, expiresAt: T0 + SESSION_MAX_AGE_MS },
      { idHash: 'older', codeId: town.id, role: 'unit', unitName: expect.any(String), label: '陈仓镇值班', createdAt: T0, lastSeenAt: T0 + 2 * HOUR, expiresAt: T0 + SESSION_MAX_AGE_MS },
    ]);
    await db.update(accessCodes).set({ revokedAt: T0 }).where(eq(accessCodes.id, police.id));
    expect((await listSessions(db, at(now))).map((s) => s.idHash)).toEqual(['older']);
  });

  it('the office ends one session by its hash; an unknown hash is false', async () => {
    await row(town.id, 'a', {});
    await row(town.id, 'b', {});
    expect(await revokeSession(db, 'a')).toBe(true);
    expect(await revokeSession(db, 'a')).toBe(false);
    expect((await db.select({ h: sessions.idHash }).from(sessions)).map((r) => r.h)).toEqual(['b']);
  });
});
