import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/entry/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                LIBSQL_URL: inject('libsqlUrl'),
                PUBLIC_BASE_URL: 'https://pingan.example.org',
                SESSION_SECRET: 'workers-test-secret-0123456789',
                GOOGLE_API_ROOT: inject('googleApiRoot'),
                GOOGLE_TOKEN_URL: inject('googleTokenUrl'),
                GOOGLE_SERVICE_ACCOUNT: inject('googleServiceAccount'),
                SHEET_ID: inject('sheetId'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.{ts,tsx}'],
          globalSetup: ['./test/workers/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
