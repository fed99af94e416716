// Server-side sessions: the cookie carries a random id, the table its hash; deleting the row ends the session.
import { and, desc, eq, gt, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { accessCodes, sessions, units, type AccessRole } from '../db/schema.ts';
import { randomToken, sha256Hex } from '../lib/crypto.ts';
import { touchCodeStatement, type Principal } from './codes.ts';

/** However busy, a session ends two weeks after sign-in. */
export const SESSION_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
/** A browser left alone for a working day is signed out: a cookie copied from an unattended machine dies with it. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Last seen is written at most once a minute, so a page with many requests does not write on each. */
const TOUCH_EVERY_MS = 60_000;

/** Creates a session for a verified code; returns the id for the cookie (only its hash is stored). */
export async function createSession(db: Db, codeId: number, now: Date): Promise<string> {
  // The code's use is recorded in the same batch (touchCodeStatement's guard keeps it to once a minute).
  const id = randomToken(32);
  const at = now.getTime();
  // One batch: sign-ins are rare, the moment to forget sessions that ended by themselves; the audit trail
  // keeps the sign-in after the session row is gone.
  await db.batch([
    db.delete(sessions).where(or(lt(sessions.expiresAt, at), lt(sessions.lastSeenAt, at - SESSION_IDLE_MS))),
    db.insert(sessions).values({ idHash: await sha256Hex(id), codeId, createdAt: at, lastSeenAt: at, expiresAt: at + SESSION_MAX_AGE_MS }),
    auditSession(db, 'sign_in', codeId, at),
    touchCodeStatement(db, codeId, at),
  ]);
  return id;
}

/**
 * The principal of a live session — not ended, not idle too long, its code not revoked — by the hash of its id
 * (hashed by the caller, so the lookup can start in the same moment as other reads).
 */
export async function sessionOwnerByHash(db: Db, idHash: string, now: Date): Promise<Principal | null> {
  const at = now.getTime();
  const [row] = await db
    .select({ codeId: accessCodes.id, role: accessCodes.role, unitCode: accessCodes.unitCode, lastSeenAt: sessions.lastSeenAt, lastUsedAt: accessCodes.lastUsedAt, unitName: units.name, unitKind: units.kind, parentCode: units.parentCode })
    .from(sessions)
    .innerJoin(accessCodes, eq(sessions.codeId, accessCodes.id))
    .innerJoin(units, and(eq(units.code, accessCodes.unitCode), eq(units.active, true)))
    .where(
      and(
        eq(sessions.idHash, idHash),
        isNull(accessCodes.revokedAt),
        gt(sessions.expiresAt, at),
        gt(sessions.lastSeenAt, at - SESSION_IDLE_MS),
        // A session from the future is a clock gone wrong, not a sign-in.
        lte(sessions.createdAt, at + 60_000),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (at - row.lastSeenAt >= TOUCH_EVERY_MS) await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
  return {
    codeId: row.codeId,
    role: row.role,
    unitCode: row.unitCode,
    lastUsedAt: row.lastUsedAt,
    unit: { code: row.unitCode, name: row.unitName, kind: row.unitKind, parentCode: row.parentCode },
  };
}

export async function deleteSession(db: Db, id: string, now = new Date()): Promise<void> {
  const idHash = await sha256Hex(id);
  await db.batch([
    auditSession(db, 'sign_out', sql`(SELECT code_id FROM sessions WHERE id_hash = ${idHash})`, now.getTime()),
    db.delete(sessions).where(eq(sessions.idHash, idHash)),
  ]);
}

/** An audit row naming the code's holder (role:unit#id), as the other audit entries do. */
function auditSession(db: Db, kind: 'sign_in' | 'sign_out', codeId: number | SQL, at: number) {
  return db.run(sql`INSERT INTO audit_events (at, actor, kind, unit_code)
    SELECT ${at}, role || ':' || unit_code || '#' || id, ${kind}, unit_code FROM access_codes WHERE id = ${codeId}`);
}

export interface SessionRow {
  /** The stored hash: names the session to the office without being usable as a cookie. */
  idHash: string;
  codeId: number;
  role: AccessRole;
  unitName: string;
  label: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** Live sessions, most recently used first. */
export async function listSessions(db: Db, now: Date): Promise<SessionRow[]> {
  const at = now.getTime();
  return db
    .select({
      idHash: sessions.idHash,
      codeId: sessions.codeId,
      role: accessCodes.role,
      unitName: units.name,
      label: accessCodes.label,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(accessCodes, eq(sessions.codeId, accessCodes.id))
    .innerJoin(units, eq(accessCodes.unitCode, units.code))
    .where(and(isNull(accessCodes.revokedAt), gt(sessions.expiresAt, at), gt(sessions.lastSeenAt, at - SESSION_IDLE_MS)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Ends one session by its hash; false when there was none. */
export async function revokeSession(db: Db, idHash: string): Promise<boolean> {
  const rows = await db.delete(sessions).where(eq(sessions.idHash, idHash)).returning({ idHash: sessions.idHash });
  return rows.length > 0;
}
