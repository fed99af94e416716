// Loads forms/organisation.ts into an empty database: the demo organisation `npm start` runs on.
import { count } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { cadres, units } from '../db/schema.ts';
import type { Organisation } from '../forms/types.ts';

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(units);
  return (row?.n ?? 0) === 0;
}

/** Inserts the organisation's units and cadres in one transaction; units already present are left as they are. */
export async function seedOrganisation(db: Db, org: Organisation, now = new Date()): Promise<{ units: number; cadres: number }> {
  const existing = new Set((await db.select({ code: units.code }).from(units)).map((r) => r.code));
  const newUnits = org.units.filter((u) => !existing.has(u.code));
  const newCadres = org.cadres.filter((c) => !existing.has(c.unit));
  await db.transaction(async (tx) => {
    for (let i = 0; i < newUnits.length; i += 100) {
      await tx.insert(units).values(
        newUnits.slice(i, i + 100).map((u) => ({
          code: u.code,
          name: u.name,
          kind: u.kind,
          parentCode: u.parent ?? null,
          population: u.population ?? null,
        })),
      );
    }
    for (let i = 0; i < newCadres.length; i += 100) {
      await tx.insert(cadres).values(
        newCadres.slice(i, i + 100).map((c) => ({
          unitCode: c.unit,
          name: c.name,
          post: c.post,
          role: c.role,
          assignedCode: c.assigned ?? null,
          createdAt: now.getTime(),
        })),
      );
    }
  });
  return { units: newUnits.length, cadres: newCadres.length };
}
