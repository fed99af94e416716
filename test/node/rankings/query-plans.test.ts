// What the rankings read, checked with EXPLAIN QUERY PLAN (issue 20): the snapshot reads the rollups and never scans
// submissions; what still reads raw visits, answers and task reports is answered from a covering index.
import { describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../src/db/index.ts';
import { DEFAULT_RULES } from '../../../src/rankings/index.ts';
import { ROLLUP_SOURCE } from '../../../src/rankings/snapshot.ts';
import { REBUILD_STATEMENTS } from '../../../src/rankings/rollup-sql.ts';
import { coverageAggregates } from '../../../src/rankings/metrics.ts';
import { countedVisit } from '../../../src/visits/checks.ts';
import { makeTestApp } from '../../helpers/app.ts';

async function plan(db: Db, q: SQL): Promise<string> {
  const rows = await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${q}`);
  return rows.map((r) => r.detail).join('\n');
}

/** The statements a snapshot sends, captured from its metric functions. */
async function snapshotQueries(): Promise<SQL[]> {
  const seen: SQL[] = [];
  const capture = { all: async (q: SQL) => (seen.push(q), []) } as unknown as Db;
  const range = { from: DEFAULT_RULES.startDate, to: '2014-11-20' };
  await Promise.all([
    ROLLUP_SOURCE.visits(capture, range, DEFAULT_RULES.quotas),
    ROLLUP_SOURCE.hazards(capture, range),
    ROLLUP_SOURCE.answers(capture, range),
    ROLLUP_SOURCE.tasks(capture, range, DEFAULT_RULES.tasks),
    coverageAggregates(capture, range),
  ]);
  return seen;
}

describe('query plans', () => {
  it('the snapshot reads rollups; only the register tasks, the officers\' "三个一" and the villages\' coverage touch submissions, by index', async () => {
    const t = await makeTestApp({ seed: false });
    const queries = await snapshotQueries();
    expect(queries).toHaveLength(7);
    const plans = await Promise.all(queries.map((q) => plan(t.db, q)));
    for (const p of plans) expect(p).not.toMatch(/SCAN (submissions|s)\b(?! USING)/);
    const rollupOnly = plans.filter((p) => !/\bsubmissions\b|\bs USING\b/.test(p));
    expect(rollupOnly).toHaveLength(4);
    // Each cadre's visit rows are found by key, not scanned.
    expect(plans[0]).toMatch(/SEARCH v USING PRIMARY KEY \(cadre_id=\? AND day>\? AND day<\?\)/);
  });

  it('the visits GROUP BY of the bench reference and every rebuild read only covering indexes; the visits tab scans nothing', async () => {
    const t = await makeTestApp({ seed: false });
    const reference = await plan(t.db, sql`SELECT cadre_id, count(*) FROM submissions WHERE form_id = 'household-visit' GROUP BY cadre_id`);
    expect(reference).toContain('USING COVERING INDEX submissions_visit_cover_idx');
    const visitsTab = await plan(
      t.db,
      sql`SELECT cadre_id, count(*) FROM submissions WHERE form_id = 'household-visit' AND deleted_at IS NULL AND cadre_id IS NOT NULL
        AND day BETWEEN '2014-10-29' AND '2014-11-30' AND ${countedVisit('submissions')} GROUP BY cadre_id`,
    );
    // The visits tab reads by an index (which one the planner picks depends on its statistics), never by a scan;
    // its household check is covered.
    expect(visitsTab).not.toMatch(/SCAN submissions\b/);
    expect(visitsTab).toContain('USING COVERING INDEX submissions_household_live_idx');

    const inserts = REBUILD_STATEMENTS.filter((s) => s.startsWith('INSERT') && s.includes('FROM submissions'));
    expect(inserts).toHaveLength(3);
    for (const s of inserts) {
      const p = await plan(t.db, sql.raw(s.replace(/;$/, '')));
      expect(p).not.toMatch(/SCAN s\b(?! USING COVERING)/);
      expect(p).toMatch(/USING COVERING INDEX submissions_(visit|answer|task)_cover_idx/);
    }
  });
});
