// The rollups rebuilt from the raw rows, in one transaction: the repair after a restore from an old export, a
// hand edit of the tables, or a change to the rules the triggers encode (`npx pingan rollups --rebuild`).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { REBUILD_STATEMENTS, ROLLUP_TABLES } from './rollup-sql.ts';

export type RollupCounts = Record<(typeof ROLLUP_TABLES)[number], number>;

/** Empties and refills every rollup atomically; returns the rows each now holds. */
export async function rebuildRollups(db: Db): Promise<RollupCounts> {
  const [first, ...rest] = REBUILD_STATEMENTS.map((s) => db.run(sql.raw(s)));
  await db.batch([first!, ...rest]);
  return rollupCounts(db);
}

export async function rollupCounts(db: Db): Promise<RollupCounts> {
  const [row] = await db.all<RollupCounts>(sql.raw(`SELECT ${ROLLUP_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`));
  return row!;
}
