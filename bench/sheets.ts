// Google calls per flush as the pending changes grow: the outbox coalesces by tab, so the count should stay
// constant (one structure call on the first flush, one values.batchUpdate, at most one batchClear).
import { performance } from 'node:perf_hooks';
import { count } from 'drizzle-orm';
import { sheetOutbox } from '../src/db/schema.ts';
import { createGoogleSheetsGateway } from '../src/sheets/client.ts';
import { flushSheets } from '../src/sheets/flush.ts';
import { startFakeGoogle } from '../test/fakes/google/index.ts';
import { makeTestApp } from '../test/helpers/app.ts';
import { submit } from '../test/helpers/sheets.ts';
import { machine } from './submissions.ts';
import type { Bench } from './types.ts';

const SIZES = (process.env.BENCH_SHEETS_SIZES ?? '100,1000,10000').split(',').map(Number);

const FEEDBACK = { satisfaction: 'satisfied', aware: 'yes', participated: 'no', opinion: '希望多开展巡逻' };
const TIP = { category: 'fire', place: '陈仓示范村一3组出租屋', description: '消防通道被杂物堵塞' };

async function flushAfter(changes: number) {
  const fake = await startFakeGoogle();
  try {
    const sheets = createGoogleSheetsGateway({ serviceAccountJson: fake.serviceAccountJson, spreadsheetId: fake.spreadsheetId, apiRoot: fake.apiRoot, tokenUrl: fake.tokenUrl });
    const t = await makeTestApp({ deps: { sheets } });
    // Two kinds of change, so several tabs are stale: resident answers and hazard tips.
    for (let i = 0; i < changes; i++) {
      await submit(t, i % 4 === 0 ? 'hazard-tip' : 'mass-feedback', i % 4 === 0 ? { ...TIP, place: `${TIP.place}${i}` } : FEEDBACK, 'chencang-v1');
    }
    const [pending] = await t.db.select({ n: count() }).from(sheetOutbox);
    const before = fake.requests.length;
    const start = performance.now();
    const result = await flushSheets(t.deps, { sleep: async () => {} });
    const ms = performance.now() - start;
    const calls = fake.requests.slice(before).filter((r) => r.kind !== 'token');
    t.db.$client.close();
    return { changes, outboxRows: pending?.n ?? 0, status: result.status, googleCalls: calls.length, calls: calls.map((r) => r.kind), flushMs: Math.round(ms) };
  } finally {
    await fake.close();
  }
}

const bench: Bench = {
  name: 'sheets',
  async run(log) {
    const runs = [];
    for (const n of SIZES) {
      const r = await flushAfter(n);
      log(`${n} changes → ${r.outboxRows} outbox rows → ${r.googleCalls} Google calls (${r.calls.join(', ')}) in ${r.flushMs} ms`);
      runs.push(r);
    }
    const constant = new Set(runs.map((r) => r.googleCalls)).size === 1;
    log(constant ? `Google calls per flush are constant: ${runs[0]?.googleCalls}` : 'Google calls per flush grow with the changes');
    return { machine: machine(), runs, constant };
  },
};

export default bench;
