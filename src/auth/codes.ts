// Access codes: random, shown once, stored as a SHA-256 hash, revocable.
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { guard, guardFailed, runBatch } from '../db/batch.ts';
import type { Db } from '../db/index.ts';
import { accessCodes, sessions, units, type AccessRole } from '../db/schema.ts';
import { randomCode, sha256Hex } from '../lib/crypto.ts';

export const OFFICE_UNIT = 'office';

export function formatAccessCode(raw: string): string {
  return raw.match(/.{1,4}/g)!.join('-');
}

/** Normalises what a person typed: case, spaces and dashes do not matter. */
export function normaliseAccessCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

export interface IssuedCode {
  id: number;
  code: string;
  role: AccessRole;
  unitCode: string;
}

/** Issues a code for a unit. The office's unit codes are admin codes unless `leader` asks for a read-only one. */
export async function issueAccessCode(
  db: Db,
  opts: { unitCode: string; leader?: boolean; label?: string; now?: Date; /** The unit, when the caller has read it already. */ unit?: { code: string; kind: string } },
): Promise<IssuedCode> {
  const unit = opts.unit?.code === opts.unitCode ? opts.unit : await db.query.units.findFirst({ where: eq(units.code, opts.unitCode) });
  if (!unit) throw new Error(`Unknown unit code: ${opts.unitCode}`);
  // A leader code reads every unit's records: it belongs to the district office.
  if (opts.leader && unit.kind !== 'office') throw new Error(`Leader codes are issued under the district office (--unit ${OFFICE_UNIT}), not ${unit.code}`);
  const role: AccessRole = opts.leader ? 'leader' : unit.kind === 'office' ? 'admin' : 'unit';
  const raw = randomCode(16);
  const [row] = await db
    .insert(accessCodes)
    .values({
      codeHash: await sha256Hex(raw),
      role,
      unitCode: unit.code,
      label: opts.label ?? '',
      createdAt: (opts.now ?? new Date()).getTime(),
    })
    .returning({ id: accessCodes.id });
  return { id: row!.id, code: formatAccessCode(raw), role, unitCode: unit.code };
}

export interface Principal {
  codeId: number;
  role: AccessRole;
  unitCode: string;
  /** When the code was last recorded as used, as read with it: a fresh one needs no write. */
  lastUsedAt?: number | null;
  /** The code's unit, read with it (a page needs no second read for it). */
  unit?: { code: string; name: string; kind: string; parentCode: string | null };
}

/** Looks a presented code up; revoked or unknown codes, and codes of an inactive unit, give null. */
export async function verifyAccessCode(db: Db, presented: string): Promise<Principal | null> {
  return verifyAccessCodeHash(db, await accessCodeHash(presented));
}

/** The stored form of a presented code; null for one that cannot be a code. Hashing first lets the lookup start with other reads. */
export async function accessCodeHash(presented: string): Promise<string | null> {
  const normalised = normaliseAccessCode(presented);
  return /^[A-Z0-9]{8,64}$/.test(normalised) ? sha256Hex(normalised) : null;
}

export async function verifyAccessCodeHash(db: Db, hash: string | null): Promise<Principal | null> {
  if (!hash) return null;
  // A deactivated unit's codes stop working with it (the codes and the unit's records are kept).
  const [row] = await db
    .select({ id: accessCodes.id, role: accessCodes.role, unitCode: accessCodes.unitCode, lastUsedAt: accessCodes.lastUsedAt, unitName: units.name, unitKind: units.kind, parentCode: units.parentCode })
    .from(accessCodes)
    .innerJoin(units, and(eq(units.code, accessCodes.unitCode), eq(units.active, true)))
    .where(and(eq(accessCodes.codeHash, hash), isNull(accessCodes.revokedAt)))
    .limit(1);
  return row
    ? { codeId: row.id, role: row.role, unitCode: row.unitCode, lastUsedAt: row.lastUsedAt, unit: { code: row.unitCode, name: row.unitName, kind: row.unitKind, parentCode: row.parentCode } }
    : null;
}

export interface AccessCodeRow {
  id: number;
  role: AccessRole;
  unitCode: string;
  unitName: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** Every code the office has issued, newest first; never the codes themselves (only their hashes exist). */
export async function listAccessCodes(db: Db): Promise<AccessCodeRow[]> {
  return db
    .select({
      id: accessCodes.id,
      role: accessCodes.role,
      unitCode: accessCodes.unitCode,
      unitName: units.name,
      label: accessCodes.label,
      createdAt: accessCodes.createdAt,
      lastUsedAt: accessCodes.lastUsedAt,
      revokedAt: accessCodes.revokedAt,
    })
    .from(accessCodes)
    .innerJoin(units, eq(accessCodes.unitCode, units.code))
    .orderBy(desc(accessCodes.id));
}

/**
 * Revokes a code and ends its sessions, as one batch: both or neither. Returns false for an unknown or already
 * revoked code (the guard then leaves every session as it was).
 */
export async function revokeAccessCode(db: Db, id: number, now: Date): Promise<boolean> {
  try {
    await runBatch(db, [
      db.update(accessCodes).set({ revokedAt: now.getTime() }).where(and(eq(accessCodes.id, id), isNull(accessCodes.revokedAt))),
      guard(db, sql`changes() = 1`, 'the code exists and is not yet revoked'),
      db.delete(sessions).where(eq(sessions.codeId, id)),
    ]);
    return true;
  } catch (err) {
    if (guardFailed(err)) return false;
    throw err;
  }
}

/** Use is recorded at most once a minute, so a busy API client does not write on every request. */
export const TOUCH_CODE_EVERY_MS = 60_000;

/** The statement recording a code's use; the guard keeps two simultaneous requests from both writing. */
export function touchCodeStatement(db: Db, id: number, at: number) {
  return db
    .update(accessCodes)
    .set({ lastUsedAt: at })
    .where(and(eq(accessCodes.id, id), or(isNull(accessCodes.lastUsedAt), lt(accessCodes.lastUsedAt, at - TOUCH_CODE_EVERY_MS))));
}

/** Whether the use read with the principal is old enough to record again (no round trip when it is not). */
export function codeUseIsStale(principal: Principal, at: number): boolean {
  return principal.lastUsedAt === undefined || principal.lastUsedAt === null || principal.lastUsedAt < at - TOUCH_CODE_EVERY_MS;
}

/** Records use at most once a minute; a use read as fresh costs no statement at all. */
export async function touchAccessCode(db: Db, principal: Principal, now: Date): Promise<void> {
  const at = now.getTime();
  if (codeUseIsStale(principal, at)) await touchCodeStatement(db, principal.codeId, at);
}
