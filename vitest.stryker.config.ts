import { defineConfig } from 'vitest/config';

/**
 * The node tests that pin the mutated core (stryker.config.json), and nothing else: no workerd pool, no browser,
 * no load test. Stryker runs only the tests that cover each mutant; this list bounds its first (dry) run.
 * STRYKER_TESTS (comma-separated globs) narrows it for one module, e.g.
 * STRYKER_TESTS=test/node/rankings/score.test.ts npm run mutate -- --mutate src/rankings/score.ts
 */
const only = process.env.STRYKER_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only?.length ? only : [
      'test/node/hazards/{states,transition-input,transition-writes,deadlines,service,policy,co-units,deadline-boundaries,races,routes,security}.test.ts',
      'test/node/rankings/{score,rankings,rollups,bounds,api,quota-boundaries}.test.ts',
      'test/node/auth/*.test.ts',
      'test/node/forms/{checks,personal,engine,invisible,schema-mutants,normalise-mutants}.test.ts',
      'test/node/submissions/{public-forms,ranking-guard,store-mutants}.test.ts',
      'test/node/sheets/{cells.test.ts,parts.test.tsx}',
      'test/node/unit/export.test.ts',
      'test/node/suggestions/masking.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
