// `npm run bench [-- name…]`: runs the benchmarks in BENCHES; JSON on stdout, a human summary on stderr.
import type { Bench } from './types.ts';
import rankings from './rankings.ts';
import submissions from './submissions.ts';
import sheets from './sheets.ts';
import roundTrips from './round-trips.ts';

/** Add a benchmark module here. */
export const BENCHES: readonly Bench[] = [rankings, submissions, sheets, roundTrips];

async function main(argv: string[]) {
  const wanted = argv.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
    const log = (line: string) => console.error(`[${bench.name}] ${line}`);
    try {
      results[bench.name] = await bench.run(log);
    } catch (err) {
      failed = true;
      log(`failed: ${(err as Error).stack ?? String(err)}`);
      results[bench.name] = { error: (err as Error).message ?? String(err) };
    }
  }
  console.log(JSON.stringify({ node: process.version, at: new Date().toISOString(), results }, null, 2));
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
