// `npx pingan rollups [--rebuild]`: the rollups' sizes, or every rollup recomputed from the raw rows.
import { parseArgs } from 'node:util';
import type { Deps } from '../deps.ts';
import { rebuildRollups, rollupCounts } from './rollups.ts';

export const rollupsCommand = {
  summary: 'print the rows of each ranking rollup; --rebuild recomputes them all from the raw rows in one transaction',
  usage: 'pingan rollups [--rebuild]',
  async run(deps: Deps, args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { rebuild: { type: 'boolean' } } });
    const counts = values.rebuild ? await rebuildRollups(deps.db) : await rollupCounts(deps.db);
    for (const [table, n] of Object.entries(counts)) console.log(`${table}\t${n}`);
    console.error(values.rebuild ? 'Rollups rebuilt from the raw rows.' : 'Rollup rows (add --rebuild to recompute them from the raw rows).');
    return 0;
  },
};
